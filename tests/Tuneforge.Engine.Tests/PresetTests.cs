using System.Security.Cryptography;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Presets;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Tests.TestSupport;
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
}
