using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Merging;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Models.Layers;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Tests.TestSupport;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests.Merging;

/// <summary>Merging a PEFT adapter gives the logits of base + adapter, and a loadable Hugging Face folder.</summary>
public sealed class MergeTests
{
    private static readonly string[] AllLinear = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Merged_logits_equal_base_plus_adapter(bool useRslora)
    {
        var config = TinyModels.Qwen2();
        using var directory = new TempDirectory();
        var adapterDirectory = Path.Combine(directory.Path, "adapter");
        using var withAdapter = TinyModels.Random(config, seed: 31);
        var pairs = PeftAdapterFixture.Write(adapterDirectory, withAdapter, rank: 4, alpha: 8, useRslora, AllLinear, seed: 32);
        var scaling = useRslora ? 8 / Math.Sqrt(4) : 8.0 / 4;
        foreach (var (index, layer) in withAdapter.Model.Layers.Select((l, i) => (i, l)))
        {
            foreach (var name in Attention.ProjectionNames)
            {
                var (a, b) = pairs[$"model.layers.{index}.self_attn.{name}"];
                layer.SelfAttention.ReplaceProjection(name, new ReferenceLoraLayer(layer.SelfAttention.GetProjection(name), a, b, scaling));
            }
            foreach (var name in Mlp.ProjectionNames)
            {
                var (a, b) = pairs[$"model.layers.{index}.mlp.{name}"];
                layer.FeedForward.ReplaceProjection(name, new ReferenceLoraLayer(layer.FeedForward.GetProjection(name), a, b, scaling));
            }
        }

        using var merged = TinyModels.Random(config, seed: 31);
        using var adapter = LoraAdapterFiles.Read(adapterDirectory);
        Assert.Equal(14, AdapterMerger.Merge(merged, adapter));
        Assert.Equal(scaling, adapter.Scaling);

        using var unmerged = TinyModels.Random(config, seed: 31);
        var expected = Logits(withAdapter);
        var actual = Logits(merged);
        var changed = (Logits(unmerged) - expected).abs().max().item<float>();
        Assert.True(changed > 0.5, $"the adapter barely changes the logits ({changed}); the test would not see a wrong merge");
        var difference = (actual - expected).abs().max().item<float>();
        Assert.True(difference < 1e-4, $"merged vs base + adapter: max |Δlogit| = {difference:E2}");
    }

    [Fact]
    public void Merged_folder_loads_back_with_the_same_logits_and_shards_when_large()
    {
        var config = TinyModels.Qwen2();
        using var directory = new TempDirectory();
        using var model = TinyModels.Random(config, seed: 33);
        PeftAdapterFixture.Write(Path.Combine(directory.Path, "adapter"), model, rank: 2, alpha: 4, false, ["q_proj", "v_proj"], seed: 34);
        using (var adapter = LoraAdapterFiles.Read(Path.Combine(directory.Path, "adapter"))) AdapterMerger.Merge(model, adapter);
        var tokenizer = Path.Combine(directory.Path, "tokenizer");
        Directory.CreateDirectory(tokenizer);
        File.WriteAllText(Path.Combine(tokenizer, "tokenizer.json"), "{}");
        File.WriteAllText(Path.Combine(tokenizer, "tokenizer_config.json"), "{}");

        var output = Path.Combine(directory.Path, "merged");
        var files = MergedModelWriter.Write(model, output, tokenizer, baseDirectory: null, Presets.ModelPresets.TinyR1, ScalarType.Float32, maxShardBytes: 40_000);
        Assert.Contains("config.json", files);
        Assert.Contains("generation_config.json", files);
        Assert.Contains("tokenizer.json", files);
        Assert.Contains(CheckpointFolder.IndexFileName, files);
        Assert.Contains(files, f => f.StartsWith("model-00001-of-", StringComparison.Ordinal));

        using var loaded = PretrainedModel.Load(output, ComputeOptions.Cpu());
        Assert.True(Logits(loaded).allclose(Logits(model), rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void An_adapter_of_another_model_size_is_refused_naming_the_weight()
    {
        using var directory = new TempDirectory();
        using var other = TinyModels.Random(TinyModels.Qwen2() with { HiddenSize = 32, HeadDim = 8 }, seed: 35);
        PeftAdapterFixture.Write(directory.Path, other, rank: 2, alpha: 4, false, ["q_proj"], seed: 36);
        using var model = TinyModels.Random(TinyModels.Qwen2(), seed: 37);
        using var adapter = LoraAdapterFiles.Read(directory.Path);
        var error = Assert.Throws<CheckpointException>(() => AdapterMerger.Merge(model, adapter));
        Assert.Contains("model.layers.0.self_attn.q_proj.weight", error.Message);
        Assert.Contains("[64, 64]", error.Message);
    }

    [Fact]
    public void A_dora_adapter_is_refused_with_the_reason()
    {
        using var directory = new TempDirectory();
        using var model = TinyModels.Random(TinyModels.Qwen2(), seed: 38);
        PeftAdapterFixture.Write(directory.Path, model, rank: 2, alpha: 4, false, ["q_proj"], seed: 39);
        var path = Path.Combine(directory.Path, "adapter_config.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"use_dora\":false", "\"use_dora\":true"));
        var error = Assert.Throws<CheckpointException>(() => LoraAdapterFiles.Read(directory.Path));
        Assert.Contains("use_dora", error.Message);
    }

    private static Tensor Logits(CausalLM model)
    {
        using var _ = no_grad();
        var ids = tensor(new long[] { 5, 17, 42, 8, 91, 3, 64, 22, 7, 50 }).view(1, -1);
        return model.call(new CausalLMInput(ids)).Logits!.to_type(ScalarType.Float32);
    }
}
