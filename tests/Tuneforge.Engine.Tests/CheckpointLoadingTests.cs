using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Tests.TestSupport;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests;

public sealed class CheckpointLoadingTests
{
    [Fact]
    public void A_saved_model_loads_back_with_identical_parameters()
    {
        using var directory = new TempDirectory();
        using var original = TinyModels.Random(TinyModels.Qwen2(), seed: 11);
        PretrainedModel.Save(original, directory.Path);

        using var loaded = PretrainedModel.Load(directory.Path, ComputeOptions.Cpu());
        var expected = original.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in loaded.named_parameters())
            Assert.True(parameter.allclose(expected[name], 0, 0), $"{name} differs after a round trip");
        Assert.Equal(original.Config, loaded.Config);
    }

    [Fact]
    public void Sharded_checkpoints_load_through_the_index()
    {
        using var directory = new TempDirectory();
        using var original = TinyModels.Random(TinyModels.Qwen2(), seed: 12);
        var files = PretrainedModel.Save(original, directory.Path, maxShardBytes: 64 * 1024);

        Assert.Contains(files, f => f.EndsWith(CheckpointFolder.IndexFileName));
        Assert.False(File.Exists(directory.File(CheckpointFolder.SingleFileName)));
        var shards = Directory.GetFiles(directory.Path, "model-*-of-*.safetensors");
        Assert.True(shards.Length > 2, $"expected several shards, got {shards.Length}");

        using var loaded = PretrainedModel.Load(directory.Path, ComputeOptions.Cpu());
        Assert.True(loaded.HeadWeight.allclose(original.HeadWeight, 0, 0));
    }

    [Fact]
    public void Weights_are_converted_to_the_requested_dtype_on_load()
    {
        using var directory = new TempDirectory();
        using (var original = TinyModels.Random(TinyModels.Qwen2(), seed: 13)) PretrainedModel.Save(original, directory.Path, ScalarType.BFloat16);
        Assert.Equal("bfloat16", ModelConfig.Load(directory.File("config.json")).TorchDtype);

        using var asFloat = PretrainedModel.Load(directory.Path, ComputeOptions.Cpu(ScalarType.Float32));
        using var asHalf = PretrainedModel.Load(directory.Path, ComputeOptions.Cpu(ScalarType.Float16));
        Assert.All(asFloat.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.All(asHalf.parameters(), p => Assert.Equal(ScalarType.Float16, p.dtype));
        // bf16 values are exact in f32: the conversion must not change them.
        using var reader = SafeTensorsReader.Open(directory.File("model.safetensors"));
        using var stored = reader.Read("model.norm.weight");
        Assert.True(stored.to_type(ScalarType.Float32).allclose(asFloat.Model.get_parameter("norm.weight")!, 0, 0));
    }

    [Fact]
    public void A_shape_mismatch_names_the_key_and_both_shapes()
    {
        using var directory = new TempDirectory();
        using (var original = TinyModels.Random(TinyModels.Qwen2(), seed: 14)) PretrainedModel.Save(original, directory.Path);
        var config = File.ReadAllText(directory.File("config.json")).Replace("\"intermediate_size\": 128", "\"intermediate_size\": 96");
        File.WriteAllText(directory.File("config.json"), config);

        var error = Assert.Throws<CheckpointException>(() => PretrainedModel.Load(directory.Path, ComputeOptions.Cpu()));
        Assert.Contains("model.layers.0.mlp.gate_proj.weight: expected shape [96, 64], found [128, 64] in model.safetensors", error.Message);
        Assert.Contains("shape mismatches (6)", error.Message);
    }

    [Fact]
    public void Missing_and_unexpected_keys_are_listed()
    {
        using var directory = new TempDirectory();
        using var original = TinyModels.Random(TinyModels.Qwen2(), seed: 15);
        var tensors = original.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        tensors.Remove("model.layers.1.self_attn.k_proj.bias");
        tensors["model.layers.1.self_attn.extra.weight"] = tensors["model.norm.weight"];
        CheckpointWriter.Save(directory.Path, tensors);
        File.WriteAllText(directory.File("config.json"), original.Config.ToJson().ToJsonString());

        var error = Assert.Throws<CheckpointException>(() => PretrainedModel.Load(directory.Path, ComputeOptions.Cpu()));
        Assert.Contains("missing keys (1):\n  model.layers.1.self_attn.k_proj.bias", error.Message.ReplaceLineEndings("\n"));
        Assert.Contains("unexpected keys (1):\n  model.layers.1.self_attn.extra.weight", error.Message.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_tied_checkpoint_that_also_stores_lm_head_loads()
    {
        using var directory = new TempDirectory();
        using var original = TinyModels.Random(TinyModels.Qwen2(tied: true), seed: 16);
        var tensors = original.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        tensors["lm_head.weight"] = original.HeadWeight;
        tensors["model.rotary_emb.inv_freq"] = ones(8);
        CheckpointWriter.Save(directory.Path, tensors);
        File.WriteAllText(directory.File("config.json"), original.Config.ToJson().ToJsonString());

        using var loaded = PretrainedModel.Load(directory.Path, ComputeOptions.Cpu());
        Assert.Same(loaded.HeadWeight, loaded.Model.EmbedTokens.Weight);
        Assert.True(loaded.HeadWeight.allclose(original.HeadWeight, 0, 0));
    }

    [Fact]
    public void An_index_pointing_outside_the_folder_is_refused()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File(CheckpointFolder.IndexFileName), "{\"weight_map\": {\"a\": \"../elsewhere.safetensors\"}}");
        var error = Assert.Throws<CheckpointException>(() => CheckpointFolder.Open(directory.Path));
        Assert.Contains("is not a plain file name", error.Message);
    }

    [Fact]
    public void A_tied_model_shares_one_embedding_parameter()
    {
        using var model = new CausalLM(TinyModels.Qwen2(tied: true), CPU, ScalarType.Float32);
        Assert.Same(model.Model.EmbedTokens.Weight, model.HeadWeight);
        Assert.DoesNotContain(model.named_parameters(), p => p.name == "lm_head.weight");
        using var untied = new CausalLM(TinyModels.Qwen2(), CPU, ScalarType.Float32);
        Assert.Equal(model.ParameterCount() + 96 * 64, untied.ParameterCount());
    }
}
