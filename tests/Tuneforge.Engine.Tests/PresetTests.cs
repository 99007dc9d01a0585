using System.Security.Cryptography;
using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Presets;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Hub.Presets;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests;

public sealed class PresetTests
{
    [Fact]
    public void Tiny_r1_is_a_tied_qwen2_with_a_few_million_parameters_besides_embeddings()
    {
        var config = ModelPresets.TinyR1.Config;
        Assert.Equal(ModelArchitecture.Qwen2, config.Architecture);
        Assert.Equal(129_280, config.VocabSize);
        using var model = new CausalLM(config, META, ScalarType.Float32);
        var embeddings = (long)config.VocabSize * config.HiddenSize;
        Assert.Equal(3_150_080, model.ParameterCount() - embeddings);
    }

    [Fact]
    public void Init_writes_a_complete_folder_and_the_same_seed_gives_the_same_bytes()
    {
        using var directory = new TempDirectory();
        var tokenizer = Directory.CreateDirectory(directory.File("tokenizer")).FullName;
        File.WriteAllText(Path.Combine(tokenizer, "tokenizer.json"), "{\"model\": {}}");
        File.WriteAllText(Path.Combine(tokenizer, "tokenizer_config.json"), "{}");

        var files = PresetWriter.Write(ModelPresets.TinyR1, 0, directory.File("a"), tokenizer, ScalarType.BFloat16);
        PresetWriter.Write(ModelPresets.TinyR1, 0, directory.File("b"), tokenizer, ScalarType.BFloat16);
        PresetWriter.Write(ModelPresets.TinyR1, 1, directory.File("c"), tokenizer, ScalarType.BFloat16);

        Assert.Equal(["config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"], files);
        string Hash(string folder) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(directory.File(folder), "model.safetensors"))));
        Assert.Equal(Hash("a"), Hash("b"));
        Assert.NotEqual(Hash("a"), Hash("c"));
        Assert.Empty(Directory.GetDirectories(directory.Path, "*.partial-*"));

        using var loaded = PretrainedModel.Load(directory.File("a"), ComputeOptions.Cpu());
        Assert.Equal(ModelPresets.TinyR1.Config with { TorchDtype = "bfloat16" }, loaded.Config);
        var error = Assert.Throws<EngineException>(() => PresetWriter.Write(ModelPresets.TinyR1, 0, directory.File("a"), tokenizer, ScalarType.BFloat16));
        Assert.Contains("exists and is not empty", error.Message);
    }

    [Fact]
    public async Task Preset_tiny_r1_base_loads_the_shipped_pretrained_weights_and_keeps_its_preset_name()
    {
        var location = await ModelLocation.ResolveAsync("preset:tiny-r1-base", _ => { });
        Assert.Same(ModelPresets.TinyR1Base, location.Preset);
        Assert.EndsWith(Path.Combine("data", "models", "tiny-r1-base"), location.Directory);
        Assert.Equal(TokenizerLocator.Find("deepseek-r1"), location.TokenizerDirectory);

        using var model = ModelLoader.Load(location, ComputeOptions.Cpu());
        Assert.Equal(ModelPresets.TinyR1Base.Config with { TorchDtype = "bfloat16" }, model.Config);
        using var reader = SafeTensorsReader.Open(Path.Combine(location.Directory!, "model.safetensors"));
        using var stored = reader.Read("model.norm.weight");
        Assert.Equal(stored.to_type(ScalarType.Float32).data<float>().ToArray(), model.Model.Norm.Weight.to_type(ScalarType.Float32).data<float>().ToArray());
        Assert.NotEqual(1f, stored.to_type(ScalarType.Float32).data<float>()[0]);   // trained, not the initializer's ones
    }

    [Fact]
    public void Shipped_weights_whose_hash_differs_from_the_preset_are_refused_with_what_to_do()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("model.safetensors"), "version https://git-lfs.github.com/spec/v1\n");
        var weights = new ShippedPresetWeights("tiny-test", directory.Path, new string('0', 64));

        var error = Assert.Throws<EngineException>(() => ShippedWeightsLocator.Find(weights));
        Assert.StartsWith($"{directory.File("model.safetensors")}: SHA-256 ", error.Message);
        Assert.EndsWith($" is not the {new string('0', 64)} that preset:tiny-test names", error.Message);
        Assert.Contains("git checkout", error.Hint);
    }

    [Fact]
    public void Init_of_a_preset_with_shipped_weights_copies_them_with_the_tokenizer()
    {
        using var directory = new TempDirectory();
        var files = PresetWriter.Write(ModelPresets.TinyR1Base, 0, directory.File("base"), TokenizerLocator.Find("deepseek-r1"), ScalarType.BFloat16);
        // The tokenizer folder's files come along, its PROVENANCE.md included.
        Assert.Equal(["PROVENANCE.md", "config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"], files);
        Assert.Equal(ModelPresets.TinyR1Base.Weights!.Sha256,
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(directory.File("base/model.safetensors")))));
    }
}
