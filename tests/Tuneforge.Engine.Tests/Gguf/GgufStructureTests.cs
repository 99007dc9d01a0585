using Tuneforge.Engine.Gguf;
using Tuneforge.Engine.Tests.TestSupport;

namespace Tuneforge.Engine.Tests.Gguf;

/// <summary>The file we write, read back field by field; and the ggml block encodings against their definitions.</summary>
public sealed class GgufStructureTests
{
    [Fact]
    public void Export_writes_the_metadata_and_tensors_llama_cpp_needs()
    {
        using var directory = new TempDirectory();
        using var model = TinyModels.Random(GgufFixtures.Llama, seed: 3);
        var path = GgufFixtures.Export(model, directory.Path, GgufFileType.Q4_0);
        var file = GgufFile.Read(path);

        Assert.Equal(3u, file.Version);
        Assert.Equal("llama", file.Metadata["general.architecture"].AsString());
        Assert.Equal((uint)GgufFileType.Q4_0, file.Metadata["general.file_type"].AsUInt32());
        Assert.Equal(64u, file.Metadata["llama.embedding_length"].AsUInt32());
        Assert.Equal(2u, file.Metadata["llama.block_count"].AsUInt32());
        Assert.Equal(128u, file.Metadata["llama.feed_forward_length"].AsUInt32());
        Assert.Equal(4u, file.Metadata["llama.attention.head_count"].AsUInt32());
        Assert.Equal(2u, file.Metadata["llama.attention.head_count_kv"].AsUInt32());
        Assert.Equal(16u, file.Metadata["llama.rope.dimension_count"].AsUInt32());
        Assert.Equal(500_000f, file.Metadata["llama.rope.freq_base"].AsFloat32());
        Assert.Equal(1e-5f, file.Metadata["llama.attention.layer_norm_rms_epsilon"].AsFloat32());
        Assert.Equal("gpt2", file.Metadata["tokenizer.ggml.model"].AsString());
        Assert.Equal("deepseek-v3", file.Metadata["tokenizer.ggml.pre"].AsString());

        var tokens = file.Metadata["tokenizer.ggml.tokens"].AsStrings();
        var types = file.Metadata["tokenizer.ggml.token_type"].AsInt32s();
        Assert.Equal(129_280, tokens.Length);
        Assert.Equal(129_280, types.Length);
        Assert.Equal("<｜begin▁of▁sentence｜>", tokens[0]);
        Assert.Equal(3, types[0]);                          // control
        Assert.Equal("[PAD129279]", tokens[^1]);
        Assert.Equal(5, types[^1]);                         // unused row beyond the tokenizer
        Assert.DoesNotContain(6, types);                    // no "byte" tokens in a gpt2 vocabulary
        Assert.Equal(GgufFixtures.Tokenizer.Merges.Count, file.Metadata["tokenizer.ggml.merges"].AsStrings().Length);
        Assert.Equal(0u, file.Metadata["tokenizer.ggml.bos_token_id"].AsUInt32());
        Assert.Equal(1u, file.Metadata["tokenizer.ggml.eos_token_id"].AsUInt32());
        Assert.True(file.Metadata["tokenizer.ggml.add_bos_token"].AsBool());
        Assert.Contains("<｜Assistant｜>", file.Metadata["tokenizer.chat_template"].AsString());

        // Untied Llama: an output layer; Q4_0 keeps it (and nothing else) at Q8_0; norms stay F32.
        Assert.Equal(GgmlType.Q8_0, file.Tensor("output.weight").Type);
        Assert.Equal(GgmlType.Q4_0, file.Tensor("token_embd.weight").Type);
        Assert.Equal(GgmlType.Q4_0, file.Tensor("blk.1.ffn_down.weight").Type);
        Assert.Equal(GgmlType.F32, file.Tensor("blk.0.attn_norm.weight").Type);
        Assert.Equal(new long[] { 64, 32 }, file.Tensor("blk.0.attn_k.weight").Dims);   // ggml order: [in, out]
        Assert.Equal(2 * 9 + 3, file.Tensors.Count);
        Assert.All(file.Tensors, t => Assert.Equal(0ul, t.Offset % 32));
        Assert.Equal(new FileInfo(path).Length, file.DataOffset + (long)file.Tensors[^1].Offset + file.Tensors[^1].ByteCount);
    }

    [Fact]
    public void Q4_K_M_export_stores_llama_cpp_mix_and_reads_back_within_its_steps()
    {
        using var directory = new TempDirectory();
        using var model = TinyModels.Random(GgufFixtures.LlamaWide, seed: 8);
        var path = GgufFixtures.Export(model, directory.Path, GgufFileType.Q4_K_M);
        var file = GgufFile.Read(path);

        Assert.Equal(15u, file.Metadata["general.file_type"].AsUInt32());
        Assert.Equal(GgmlType.Q6_K, file.Tensor("output.weight").Type);
        Assert.Equal(GgmlType.Q4_K, file.Tensor("token_embd.weight").Type);
        Assert.Equal(GgmlType.Q4_K, file.Tensor("blk.0.attn_v.weight").Type);      // 2 layers: only the last uses more bits
        Assert.Equal(GgmlType.Q6_K, file.Tensor("blk.1.attn_v.weight").Type);
        Assert.Equal(GgmlType.Q4_K, file.Tensor("blk.0.ffn_down.weight").Type);
        Assert.Equal(GgmlType.Q6_K, file.Tensor("blk.1.ffn_down.weight").Type);
        Assert.Equal(GgmlType.Q4_K, file.Tensor("blk.1.attn_q.weight").Type);
        Assert.Equal(GgmlType.F32, file.Tensor("blk.0.ffn_norm.weight").Type);
        Assert.Equal(129_280L * 256 / 256 * 210, file.Tensor("output.weight").ByteCount);
        Assert.Equal(512L * 256 / 256 * 144, file.Tensor("blk.0.ffn_up.weight").ByteCount);
        Assert.Equal(new FileInfo(path).Length, file.DataOffset + (long)file.Tensors[^1].Offset + file.Tensors[^1].ByteCount);

        using var restored = new Models.CausalLM(GgufFixtures.LlamaWide, TorchSharp.torch.CPU, TorchSharp.torch.ScalarType.Float32);
        GgufWeights.Load(restored, file);
        foreach (var ((name, a), (_, b)) in model.named_parameters().Zip(restored.named_parameters()))
        {
            // Weights are ~N(0, 0.09²), extremes ~0.5 among 33M: a 32-value span ≤ ~0.8 keeps 4-bit half-steps ≤ ~0.03,
            // a 16-value max ≤ ~0.55 keeps 6-bit half-steps ≤ ~0.009; the bounds leave about 2× margin (F32 norms exact).
            var worst = (a - b).abs().max().item<float>();
            var bound = file.Tensor(GgufTensorNames.ToGguf(name)).Type switch { GgmlType.Q6_K => 0.018f, GgmlType.Q4_K => 0.06f, _ => 0f };
            Assert.True(worst <= bound, $"{name}: max error {worst} > {bound}");
        }
    }

    [Fact]
    public void Llama_q_and_k_rows_are_interleaved_and_restored_on_import()
    {
        using var directory = new TempDirectory();
        using var model = TinyModels.Random(GgufFixtures.Llama, seed: 4);
        var path = GgufFixtures.Export(model, directory.Path, GgufFileType.F32);
        var file = GgufFile.Read(path);
        var stored = GgmlBlocks.Decode(file.ReadBytes(file.Tensor("blk.0.attn_q.weight")), GgmlType.F32, 64 * 64);
        var original = model.Model.Layers[0].SelfAttention.GetProjection("q_proj").parameters().First().data<float>().ToArray();
        // Head 0, head_dim 16: stored row 2i is HF row i, stored row 2i+1 is HF row i + 8.
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(original.AsSpan(i * 64, 64).ToArray(), stored.AsSpan(2 * i * 64, 64).ToArray());
            Assert.Equal(original.AsSpan((i + 8) * 64, 64).ToArray(), stored.AsSpan((2 * i + 1) * 64, 64).ToArray());
        }
        using var restored = new Models.CausalLM(GgufFixtures.Llama, TorchSharp.torch.CPU, TorchSharp.torch.ScalarType.Float32);
        GgufWeights.Load(restored, file);
        foreach (var ((name, a), (_, b)) in model.named_parameters().Zip(restored.named_parameters()))
            Assert.True(a.allclose(b, rtol: 0, atol: 0), $"{name} differs after export and import");
    }

    [Fact]
    public void Q8_0_and_Q4_0_blocks_follow_their_definitions()
    {
        var values = Enumerable.Range(0, 32).Select(i => (i - 10) * 0.25f).ToArray();   // -2.5 .. 5.25, largest magnitude 5.25
        var q8 = GgmlBlocks.Encode(values, GgmlType.Q8_0);
        Assert.Equal(34, q8.Length);
        Assert.Equal((Half)(5.25f / 127), BitConverter.ToHalf(q8, 0));
        Assert.Equal(127, (sbyte)q8[2 + 31]);
        Assert.Equal(-60, (sbyte)q8[2 + 0]);             // round(-2.5 / (5.25/127)) = round(-60.48)

        var q4 = GgmlBlocks.Encode(values, GgmlType.Q4_0);
        Assert.Equal(18, q4.Length);
        Assert.Equal((Half)(5.25f / -8), BitConverter.ToHalf(q4, 0));
        Assert.Equal(0, q4[2 + 15] >> 4);                // x = 5.25 (index 31) → q = 0 with d = -0.656
        Assert.Equal(12, q4[2 + 0] & 0x0F);              // x = -2.5 → trunc(-2.5 / -0.65625 + 8.5) = 12

        var decoded8 = GgmlBlocks.Decode(q8, GgmlType.Q8_0, 32);
        var decoded4 = GgmlBlocks.Decode(q4, GgmlType.Q4_0, 32);
        for (var i = 0; i < 32; i++)
        {
            Assert.True(Math.Abs(decoded8[i] - values[i]) <= 5.25f / 127 / 2 * 1.01f, $"Q8_0 value {i}: {decoded8[i]} vs {values[i]}");
            Assert.True(Math.Abs(decoded4[i] - values[i]) <= 5.25f / 8 / 2 * 1.01f, $"Q4_0 value {i}: {decoded4[i]} vs {values[i]}");
        }
    }

    [Theory]
    [InlineData(1.0f, (ushort)0x3F80)]
    [InlineData(1.00390625f, (ushort)0x3F80)]      // exactly half way: rounds to even
    [InlineData(1.01171875f, (ushort)0x3F82)]      // half way above an odd mantissa: rounds up to even
    [InlineData(-2.0f, (ushort)0xC000)]
    public void Bfloat16_rounds_to_nearest_even(float value, ushort expected) =>
        Assert.Equal(expected, GgmlBlocks.ToBFloat16(value));

    [Fact]
    public void A_truncated_file_is_an_error_that_names_it()
    {
        using var directory = new TempDirectory();
        using var model = TinyModels.Random(GgufFixtures.Qwen2, seed: 6);
        var path = GgufFixtures.Export(model, directory.Path, GgufFileType.F16);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<InvalidDataException>(() => GgufFile.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("past the end of the file", error.Message);
    }
}
