using Tuneforge.Engine.Generation;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Presets;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Text;

namespace Tuneforge.Engine.Tests;

public sealed class StopTokensTests
{
    private static readonly HfTokenizer Tokenizer = HfTokenizer.Load(TokenizerLocator.Find("deepseek-r1"));

    [Fact]
    public void Stop_ids_join_config_json_generation_config_json_the_tokenizers_eos_and_the_templates_stop_tokens()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File(GenerationConfigFile.FileName), """{"eos_token_id": [11, 9], "temperature": 0.6}""");
        var config = ModelPresets.TinyR1.Config with { EosTokenIds = [7, 9] };
        var template = ChatTemplates.Get("chatml");
        var expected = new HashSet<int> { 7, 9, 11, Tokenizer.EosId!.Value };
        expected.UnionWith(template.StopTokenIds(Tokenizer));

        Assert.Equal(expected.Order(), StopTokens.Resolve(config, directory.Path, Tokenizer, template));
        Assert.Equal(new[] { 1, 7, 9, 11 }, StopTokens.Resolve(config, directory.Path, Tokenizer, null));   // deepseek-r1's eos is id 1
    }

    [Fact]
    public void A_single_eos_id_and_a_folder_without_generation_config_json_both_work()
    {
        using var directory = new TempDirectory();
        var config = ModelPresets.TinyR1.Config with { EosTokenIds = [] };
        Assert.Equal(new[] { 1 }, StopTokens.Resolve(config, directory.Path, Tokenizer, null));
        Assert.Equal(new[] { 1 }, StopTokens.Resolve(config, null, Tokenizer, null));
        File.WriteAllText(directory.File(GenerationConfigFile.FileName), """{"eos_token_id": 42}""");
        Assert.Equal(new[] { 1, 42 }, StopTokens.Resolve(config, directory.Path, Tokenizer, null));
    }

    [Fact]
    public void An_eos_id_of_the_wrong_type_names_the_file()
    {
        using var directory = new TempDirectory();
        var path = directory.File(GenerationConfigFile.FileName);
        File.WriteAllText(path, """{"eos_token_id": "two"}""");
        var error = Assert.Throws<EngineException>(() => StopTokens.Resolve(ModelPresets.TinyR1.Config, directory.Path, Tokenizer, null));
        Assert.Contains(path, error.Message);
        Assert.Contains("wrong type", error.Message);
    }
}
