using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Gguf;
using Tuneforge.Engine.Merging;
using Tuneforge.Engine.Models;
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
}
