using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Presets;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Text;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests;

/// <summary>The real-size shapes: their configs are the published ones, and their weights are streamed to disk.</summary>
public sealed class ShapePresetTests
{
    public static TheoryData<string, string, long> Shapes => new()
    {
        { "r1-distill-qwen-1.5b-shape", RealConfigs.DeepSeekR1DistillQwen1_5B, 1_777_088_000 },
        { "r1-distill-qwen-7b-shape", RealConfigs.DeepSeekR1DistillQwen7B, 7_615_616_512 },
        { "r1-distill-llama-8b-shape", RealConfigs.DeepSeekR1DistillLlama8B, 8_030_261_248 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Shape_presets_copy_the_published_config_of_their_model(string name, string published, long parameters)
    {
        var preset = ModelPresets.Get(name);
        var real = ModelConfig.Parse(published, name);
        // Shape and numerics as published; token ids are those of the tokenizer the preset ships.
        Assert.Equal(real with { BosTokenId = preset.Config.BosTokenId, EosTokenIds = preset.Config.EosTokenIds, TorchDtype = preset.Config.TorchDtype }, preset.Config);
        using var model = new CausalLM(preset.Config, META, ScalarType.BFloat16);
        Assert.Equal(parameters, model.ParameterCount());
        var tokenizer = HfTokenizer.Load(TokenizerLocator.Find(preset.TokenizerName));
        Assert.InRange(tokenizer.VocabSize, 100_000, preset.Config.VocabSize);
        Assert.All(preset.Config.EosTokenIds.Append(preset.Config.BosTokenId!.Value), id => Assert.InRange(id, 0, tokenizer.VocabSize - 1));
    }

    [Fact]
    public void The_1_5b_shape_is_laid_out_as_two_bfloat16_shards_with_an_index()
    {
        var preset = ShapePresets.R1DistillQwen1_5B;
        var plan = CheckpointPlan.Create(PresetWriter.Layout(preset.Config, ScalarType.BFloat16), preset.MaxShardBytes);

        Assert.Equal(["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"], plan.Shards.Select(s => s.File));
        Assert.Equal(2 * 1_777_088_000L, plan.TotalBytes);
        Assert.All(plan.Shards, s => Assert.InRange(s.Tensors.Sum(t => t.Bytes), 1L << 30, preset.MaxShardBytes));
        var index = plan.IndexJson()!;
        Assert.Equal(2 * 1_777_088_000L, index["metadata"]!["total_size"]!.GetValue<long>());
        Assert.Equal(2 + 28 * 12 + 1, index["weight_map"]!.AsObject().Count);   // embed, head, 12 per layer, final norm
        Assert.Equal("model-00002-of-00002.safetensors", index["weight_map"]!["model.norm.weight"]!.GetValue<string>());
    }

    [Fact]
    public void Streamed_random_weights_are_byte_for_byte_the_model_initialized_in_memory()
    {
        using var directory = new TempDirectory();
        var config = ModelPresets.TinyR1.Config;
        const long shard = 24L << 20;   // tiny-r1's 66 MB embedding fills one shard, the layers a second
        var streamedFiles = PresetWriter.WriteRandomWeights(config, 7, directory.File("streamed"), ScalarType.BFloat16, shard);
        PresetWriter.WriteRandomWeights(config, 7, directory.File("single"), ScalarType.BFloat16);

        using var model = new CausalLM(config, CPU, ScalarType.Float32);
        ParameterInitializer.Initialize(model, 7);
        PretrainedModel.Save(model, directory.File("in-memory"), ScalarType.BFloat16, shard);
        using (var scope = NewDisposeScope())
        {
            // The writer that held every tensor at once (still the adapters' writer).
            var tensors = model.named_parameters().Select(p => KeyValuePair.Create(p.name, p.parameter.detach().to_type(ScalarType.BFloat16)));
            SafeTensorsWriter.Write(directory.File("whole.safetensors"), tensors);
        }

        Assert.Equal(3, streamedFiles.Count);   // two shards and the index
        foreach (var file in streamedFiles.Select(Path.GetFileName))
            Assert.Equal(File.ReadAllBytes(directory.File($"in-memory/{file}")), File.ReadAllBytes(directory.File($"streamed/{file}")));
        Assert.Equal(File.ReadAllBytes(directory.File("whole.safetensors")), File.ReadAllBytes(directory.File("single/model.safetensors")));
        Assert.Empty(Directory.GetFiles(directory.File("streamed"), ".*"));   // no temporary file left
    }

    [Fact]
    public async Task A_shape_preset_is_not_built_in_memory_and_the_error_says_how_to_write_it()
    {
        var location = await ModelLocation.ResolveAsync("preset:r1-distill-qwen-7b-shape", _ => { });
        var error = Assert.Throws<EngineException>(() => ModelLoader.Load(location, ComputeOptions.Cpu()));
        Assert.Contains("DeepSeek-R1-Distill-Qwen-7B", error.Message);
        Assert.Contains("tuneforge-engine init --preset r1-distill-qwen-7b-shape --out DIR", error.Hint);
    }
}
