using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Gguf;
using Tuneforge.Engine.Merging;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Quantization;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Tests.Gguf;
using Tuneforge.Engine.Tests.TestSupport;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests.Merging;

/// <summary>Merge and GGUF export read one tensor at a time from disk and write exactly what the whole model in memory gave.</summary>
public sealed class StreamedExportTests
{
    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    public void Streamed_merge_writes_the_bytes_of_the_merge_of_the_whole_model(ScalarType stored)
    {
        using var directory = new TempDirectory();
        var (baseDirectory, adapterDirectory, tokenizer) = (directory.File("base"), directory.File("adapter"), directory.File("tokenizer"));
        using (var model = TinyModels.Random(TinyModels.Llama3(), seed: 5))
        {
            PretrainedModel.Save(model, baseDirectory, stored);
            PeftAdapterFixture.Write(adapterDirectory, model, rank: 4, alpha: 8, false, ["q_proj", "k_proj", "down_proj"], seed: 6);
        }
        Directory.CreateDirectory(tokenizer);
        File.WriteAllText(Path.Combine(tokenizer, "tokenizer.json"), "{}");
        const long shard = 30_000;   // several shards

        using (var whole = PretrainedModel.Load(baseDirectory, ComputeOptions.Cpu()))
        using (var adapter = LoraAdapterFiles.Read(adapterDirectory))
        {
            AdapterMerger.Merge(whole, adapter);
            MergedModelWriter.Write(whole, directory.File("whole"), tokenizer, baseDirectory, null, stored, shard);
        }
        IReadOnlyList<string> files;
        using (var source = new CheckpointWeights(baseDirectory))
        using (var adapter = LoraAdapterFiles.Read(adapterDirectory))
            files = MergedModelWriter.Write(source, adapter, directory.File("streamed"), tokenizer, baseDirectory, null, stored, shard);

        Assert.Contains(CheckpointFolder.IndexFileName, files);
        Assert.Equal(files, Directory.GetFiles(directory.File("whole")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in files)
            Assert.Equal(File.ReadAllBytes(Path.Combine(directory.File("whole"), file)), File.ReadAllBytes(Path.Combine(directory.File("streamed"), file)));
        using var unchanged = new CheckpointWeights(baseDirectory);
        using var merged = new CheckpointWeights(directory.File("streamed"));
        using var before = unchanged.Read("model.layers.0.self_attn.q_proj.weight");
        using var after = merged.Read("model.layers.0.self_attn.q_proj.weight");
        Assert.False(before.equal(after).all().item<bool>());   // the adapter did change it
    }

    [Theory]
    [InlineData("gguf_f32")]
    [InlineData("gguf_f16")]
    [InlineData("gguf_bf16")]
    [InlineData("gguf_q8_0")]
    [InlineData("gguf_q4_0")]
    [InlineData("gguf_q4_k_m")]
    public void Gguf_exported_from_a_folder_a_tensor_at_a_time_is_the_file_of_the_model_in_memory(string format)
    {
        using var directory = new TempDirectory();
        using var model = TinyModels.Random(GgufFixtures.LlamaWide with { RopeScaling = TinyModels.Llama3().RopeScaling }, seed: 9);
        PretrainedModel.Save(model, directory.File("merged"), ScalarType.Float32, maxShardBytes: 50_000_000);
        var type = GgufFileTypes.Parse(format);

        GgufExporter.Export(model, GgufFixtures.Tokenizer, GgufFixtures.Tokenizer.ChatTemplateJinja, directory.File("whole.gguf"), type, "tiny");
        using (var folder = new CheckpointWeights(directory.File("merged")))
            GgufExporter.Export(folder, GgufFixtures.Tokenizer, GgufFixtures.Tokenizer.ChatTemplateJinja, directory.File("streamed.gguf"), type, "tiny");

        Assert.True(File.Exists(directory.File("merged/" + CheckpointFolder.IndexFileName)));
        Assert.Equal(File.ReadAllBytes(directory.File("whole.gguf")), File.ReadAllBytes(directory.File("streamed.gguf")));
    }

    [Theory]
    [InlineData("int8", ScalarType.Float32)]
    [InlineData("int8", ScalarType.BFloat16)]
    [InlineData("int4", ScalarType.Float32)]
    [InlineData("int4", ScalarType.BFloat16)]
    public void Int8_and_int4_written_from_a_folder_a_tensor_at_a_time_are_the_quantized_model_in_memory(string format, ScalarType stored)
    {
        using var directory = new TempDirectory();
        var config = TinyModels.Qwen2() with { HiddenSize = 128, IntermediateSize = 256, HeadDim = 32 };
        using (var model = TinyModels.Random(config, seed: 12))
            PretrainedModel.Save(model, directory.File("merged"), stored, maxShardBytes: 200_000);
        var scheme = WeightQuantization.Parse(format, 64);

        IReadOnlyList<string> files;
        using (var folder = new CheckpointWeights(directory.File("merged")))
            files = QuantizedModel.Write(folder, scheme, directory.File(format), maxShardBytes: 100_000);
        using var whole = PretrainedModel.Load(directory.File("merged"), new ComputeOptions(CPU, stored));
        WeightQuantizer.Quantize(whole, scheme);
        using var streamed = QuantizedModel.Load(directory.File(format), new ComputeOptions(CPU, stored));

        Assert.Contains(files, f => Path.GetFileName(f) == CheckpointFolder.IndexFileName);
        var loaded = streamed.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var expected = whole.named_parameters().ToList();
        Assert.Equal(expected.Select(p => p.name).Order(), loaded.Keys.Order());
        Assert.Contains(expected, p => p.name.EndsWith(scheme.Bits == 8 ? "mlp.down_proj.weight_scale" : "mlp.down_proj.weight_packed", StringComparison.Ordinal));
        foreach (var (name, parameter) in expected)
        {
            // Quantized tensors bit for bit; the rest as stored (bfloat16 for a float32 base, as the writer stores it).
            var want = parameter.is_floating_point() && !name.Contains("_proj.weight", StringComparison.Ordinal) && stored == ScalarType.Float32
                ? parameter.to_type(ScalarType.BFloat16) : parameter;
            Assert.True(want.to_type(ScalarType.Float32).equal(loaded[name].to_type(ScalarType.Float32)).all().item<bool>(), $"{format}: {name} differs");
        }
    }
}
