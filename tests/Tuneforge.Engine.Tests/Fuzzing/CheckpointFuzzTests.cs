using System.Text;
using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Gguf;
using Tuneforge.TestSupport.Fuzzing;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests.Fuzzing;

/// <summary>Thousands of seeded mutations of valid safetensors and GGUF files: each is read whole (header, then every
/// tensor's bytes) or refused with the reader's own error; none crashes, hangs or allocates beyond its size.</summary>
public sealed class CheckpointFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Safetensors_files_are_read_or_refused_with_a_CheckpointException()
    {
        var report = new FuzzCampaign("safetensors", [HandWrittenSafetensors(), WrittenSafetensors()], e => e is CheckpointException)
        {
            FileName = "model.safetensors",
        }.Run(path =>
        {
            using var reader = SafeTensorsReader.Open(path);
            foreach (var name in reader.Header.Entries.Keys) reader.Read(name).Dispose();
        });
        output.WriteLine(report.Describe());
        Assert.True(report.Findings == 0, report.Describe());
        Assert.True(report.Accepted >= 2 && report.TypedErrors > report.Cases / 2, report.Summary);
    }

    [Fact]
    public void Gguf_files_are_read_or_refused_with_an_InvalidDataException()
    {
        var report = new FuzzCampaign("gguf", [WrittenGguf()], e => e is InvalidDataException) { FileName = "model.gguf" }.Run(path =>
        {
            var file = GgufFile.Read(path);
            foreach (var tensor in file.Tensors) _ = file.ReadBytes(tensor);
        });
        output.WriteLine(report.Describe());
        Assert.True(report.Findings == 0, report.Describe());
        Assert.True(report.Accepted >= 1 && report.TypedErrors > report.Cases / 2, report.Summary);
    }

    // The format by hand: an 8-byte header length, the JSON header (padded with spaces), the tensors' bytes.
    static byte[] HandWrittenSafetensors()
    {
        var header = Encoding.UTF8.GetBytes("""{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"b":{"dtype":"BF16","shape":[4],"data_offsets":[24,32]},"c":{"dtype":"I64","shape":[1,1],"data_offsets":[32,40]}}""");
        var padded = header.Concat(Enumerable.Repeat((byte)' ', (8 - header.Length % 8) % 8)).ToArray();
        return [.. BitConverter.GetBytes((ulong)padded.Length), .. padded, .. Enumerable.Range(0, 40).Select(i => (byte)(i * 7))];
    }

    static byte[] WrittenSafetensors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tuneforge-fuzz-seed-{Guid.NewGuid():N}.safetensors");
        using (var weight = arange(12, ScalarType.Float32).reshape(3, 4))
        using (var bias = ones(4, ScalarType.BFloat16))
            SafeTensorsWriter.Write(path, [new KeyValuePair<string, Tensor>("model.layers.0.weight", weight), new("model.layers.0.bias", bias)], SafeTensorsWriter.PyTorchMetadata);
        var bytes = File.ReadAllBytes(path);
        File.Delete(path);
        return bytes;
    }

    static byte[] WrittenGguf()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tuneforge-fuzz-seed-{Guid.NewGuid():N}.gguf");
        new GgufWriter()
            .Set("general.architecture", GgufValue.String("qwen2"))
            .Set("qwen2.block_count", GgufValue.UInt32(1))
            .Set("qwen2.attention.layer_norm_rms_epsilon", GgufValue.Float32(1e-6f))
            .Set("tokenizer.ggml.tokens", GgufValue.Strings(["a", "b", "ab", "<s>"]))
            .Set("tokenizer.ggml.token_type", GgufValue.Int32s([1, 1, 1, 3]))
            .AddTensor("token_embd.weight", [4, 2], GgmlType.F32, () => new byte[32])
            .AddTensor("blk.0.attn_q.weight", [32, 1], GgmlType.Q8_0, () => Enumerable.Range(0, 34).Select(i => (byte)i).ToArray())
            .Write(path);
        var bytes = File.ReadAllBytes(path);
        File.Delete(path);
        return bytes;
    }
}
