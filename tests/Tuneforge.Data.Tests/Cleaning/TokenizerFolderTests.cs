using Tuneforge.Data.Cleaning;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Tests.Cleaning;

public class TokenizerFolderTests
{
    const string Root = "/repo";

    [Fact]
    public void No_token_filter_and_no_tokenizer_needs_none() =>
        Assert.Null(TokenizerFolder.Resolve(new CleanSpec(), new ModelSpec(), Root));

    [Fact]
    public void Clean_tokenizer_wins_and_is_relative_to_the_root() =>
        Assert.Equal("/repo/tok/x", TokenizerFolder.Resolve(new CleanSpec { Tokenizer = "tok/x" }, new ModelSpec { Source = "hf://a/b" }, Root));

    [Fact]
    public void A_preset_model_uses_its_shipped_tokenizer() =>
        Assert.Equal("/repo/data/tokenizers/deepseek-r1", TokenizerFolder.Resolve(new CleanSpec { MaxTokens = 512 }, new ModelSpec { Source = "preset:tiny-r1" }, Root));

    [Fact]
    public void A_local_model_folder_with_tokenizer_json_is_used()
    {
        using var w = new Workspace();
        w.Write("models/m/tokenizer.json", "{}");
        Assert.Equal(Path.Combine(w.Root, "models", "m"), TokenizerFolder.Resolve(new CleanSpec { MinTokens = 1 }, new ModelSpec { Source = "models/m" }, w.Root));
    }

    [Fact]
    public void A_hub_model_asks_for_clean_tokenizer()
    {
        var e = Assert.Throws<DataException>(() => TokenizerFolder.Resolve(new CleanSpec { MaxTokens = 512 }, new ModelSpec { Source = "hf://deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B" }, Root));
        Assert.Equal("clean.min_tokens/max_tokens need a tokenizer, and the model's (hf://deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B) is not on this machine; set clean.tokenizer to a folder with tokenizer.json.", e.Message);
    }
}
