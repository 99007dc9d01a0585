using Tuneforge.Engine.Gguf;

namespace Tuneforge.Engine.Tests.Gguf;

/// <summary>Q4_K, Q6_K and Q5_0 blocks against their definitions, and the Q4_K_M per-tensor mix against llama.cpp's.</summary>
public sealed class KQuantBlockTests
{
    // f16 rounding of d and dmin moves them up by at most one ulp (2^-10 relative); float arithmetic adds ~1e-6.
    private const float HalfUlp = 1f / 1024;

    public static TheoryData<string> Blocks => new() { "random", "zeros", "constant", "negative", "outlier" };

    private static float[] Block(string kind)
    {
        var random = new Random(7);
        return kind switch
        {
            "zeros" => new float[256],
            "constant" => Enumerable.Repeat(0.37f, 256).ToArray(),
            "negative" => Enumerable.Range(0, 256).Select(_ => -0.5f - (float)random.NextDouble()).ToArray(),
            // One sub-block a thousand times larger than the rest: the small ones get scales of 1 or 2.
            "outlier" => Enumerable.Range(0, 256).Select(i => (float)(random.NextDouble() - 0.5) * (i / 32 == 3 ? 100 : 0.1f)).ToArray(),
            _ => Enumerable.Range(0, 256).Select(i => (float)(random.NextDouble() * 2 - 1) * (1 + i / 32)).ToArray(),
        };
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Q4_K_round_trip_is_within_half_a_quantized_step(string kind)
    {
        var x = Block(kind);
        var bytes = GgmlBlocks.Encode(x, GgmlType.Q4_K);
        Assert.Equal(144, bytes.Length);
        var y = GgmlBlocks.Decode(bytes, GgmlType.Q4_K, 256);

        // Sub-block j covers [min(0, min x), max x]: its 6-bit min is at most one dmin above -min, so the span to cover is
        // ≤ (max - min + dmin) / 15 per step, and its 6-bit scale at most one d above that. Error ≤ half the step.
        var negativeMin = Enumerable.Range(0, 8).Select(j => -Math.Min(0, x.Skip(32 * j).Take(32).Min())).ToArray();
        var top = Enumerable.Range(0, 8).Select(j => x.Skip(32 * j).Take(32).Max()).ToArray();
        var dmin = negativeMin.Max() / 63 * (1 + HalfUlp);
        var spans = Enumerable.Range(0, 8).Select(j => Math.Max(0, top[j] + negativeMin[j] + dmin) / 15).ToArray();
        var d = spans.Max() / 63 * (1 + HalfUlp);
        for (var i = 0; i < 256; i++)
        {
            var bound = (spans[i / 32] + d) / 2 * (1 + 1e-5f) + 1e-7f;
            Assert.True(Math.Abs(y[i] - x[i]) <= bound, $"{kind} value {i}: {y[i]} vs {x[i]}, bound {bound}");
        }
        if (kind == "zeros") Assert.All(y, v => Assert.Equal(0f, v));
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Q6_K_round_trip_is_within_half_a_quantized_step(string kind)
    {
        var x = Block(kind);
        var bytes = GgmlBlocks.Encode(x, GgmlType.Q6_K);
        Assert.Equal(210, bytes.Length);
        var y = GgmlBlocks.Decode(bytes, GgmlType.Q6_K, 256);

        // Sub-block s (16 values): step = max|x| / 31.5 rounded up to a multiple of d = (largest step) / 127.
        var steps = Enumerable.Range(0, 16).Select(s => x.Skip(16 * s).Take(16).Max(Math.Abs) / 31.5f).ToArray();
        var d = steps.Max() / 127 * (1 + HalfUlp);
        for (var i = 0; i < 256; i++)
        {
            var bound = (steps[i / 16] + d) / 2 * (1 + 1e-5f) + 1e-7f;
            Assert.True(Math.Abs(y[i] - x[i]) <= bound, $"{kind} value {i}: {y[i]} vs {x[i]}, bound {bound}");
        }
        if (kind == "zeros") Assert.All(y, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Q4_K_packs_scales_and_mins_as_llama_cpp_reads_them()
    {
        // Sub-block j holds values 0..j+1 (no negative values: min 0) except sub-block 5, which also holds -3.
        var x = new float[256];
        for (var j = 0; j < 8; j++)
        for (var l = 0; l < 32; l++) x[32 * j + l] = (j + 1) * l / 31f;
        x[5 * 32] = -3;
        var bytes = GgmlBlocks.Encode(x, GgmlType.Q4_K);
        var d = (float)BitConverter.ToHalf(bytes, 0);
        var dmin = (float)BitConverter.ToHalf(bytes, 2);
        Assert.Equal((float)Q4KBlock.HalfAtLeast(3f / 63), dmin);
        var scalesAndMins = Enumerable.Range(0, 8).Select(j => Q4KBlock.ScaleAndMin(bytes.AsSpan(4, 12), j)).ToArray();
        Assert.Equal(63, scalesAndMins[5].Min);                     // the largest min takes the full 6 bits
        Assert.All(scalesAndMins.Where((_, j) => j != 5), s => Assert.Equal(0, s.Min));
        Assert.Equal(63, scalesAndMins[5].Scale);                   // sub-block 5 spans -3..6, the widest
        Assert.Equal((int)MathF.Ceiling(8f / 15 / d), scalesAndMins[7].Scale);   // 0..8: 8/9 of that, 56
        Assert.Equal(56, scalesAndMins[7].Scale);
        Assert.Equal((int)MathF.Ceiling(1f / 15 / d), scalesAndMins[0].Scale);
        // Value 31 of sub-block 7 (x = 8) is nibble 15, in the high half of byte 32·3 + 31 of the quants.
        Assert.Equal(15, bytes[16 + 32 * 3 + 31] >> 4);
    }

    [Fact]
    public void Q5_0_follows_its_definition()
    {
        var values = Enumerable.Range(0, 32).Select(i => (i - 10) * 0.25f).ToArray();   // largest magnitude 5.25 (index 31)
        var bytes = GgmlBlocks.Encode(values, GgmlType.Q5_0);
        Assert.Equal(22, bytes.Length);
        Assert.Equal((Half)(5.25f / -16), BitConverter.ToHalf(bytes, 0));
        var fifthBits = BitConverter.ToUInt32(bytes, 2);
        Assert.Equal(0, bytes[6 + 15] >> 4);                    // x = 5.25 → q = 0
        Assert.Equal(0u, fifthBits >> 31);
        Assert.Equal(24, (bytes[6] & 0xF) | (int)(fifthBits & 1) << 4);   // x = -2.5 → trunc(-2.5 / -0.328125 + 16.5) = trunc(24.1)
        var decoded = GgmlBlocks.Decode(bytes, GgmlType.Q5_0, 32);
        for (var i = 0; i < 32; i++) Assert.True(Math.Abs(decoded[i] - values[i]) <= 5.25f / 16 / 2 * 1.01f, $"value {i}: {decoded[i]} vs {values[i]}");
    }

    [Theory]
    [InlineData(2, new[] { 1 })]
    [InlineData(8, new[] { 0, 3, 6, 7 })]
    [InlineData(28, new[] { 0, 1, 2, 5, 8, 11, 14, 17, 20, 23, 24, 25, 26, 27 })]
    public void Use_more_bits_picks_llama_cpp_layers(int layers, int[] expected) =>
        Assert.Equal(expected, Enumerable.Range(0, layers).Where(i => GgufFileTypes.UsesMoreBits(i, layers)).ToArray());

    [Fact]
    public void Q4_K_M_mixes_types_as_llama_cpp_does_for_a_qwen2()
    {
        const int layers = 8;
        GgmlType Type(string name, long rowLength, bool tied = false, int dimensions = 2) =>
            GgufFileTypes.TensorType(GgufFileType.Q4_K_M, name, dimensions == 1 ? [rowLength] : [rowLength, 512], tied, layers);

        Assert.Equal(GgmlType.Q6_K, Type("output.weight", 1536));
        Assert.Equal(GgmlType.Q4_K, Type("token_embd.weight", 1536));
        Assert.Equal(GgmlType.Q6_K, Type("token_embd.weight", 1536, tied: true));
        Assert.Equal(GgmlType.Q8_0, Type("output.weight", 896));             // rows not whole 256-blocks
        Assert.Equal(GgmlType.Q6_K, Type("blk.0.attn_v.weight", 1536));
        Assert.Equal(GgmlType.Q4_K, Type("blk.1.attn_v.weight", 1536));
        Assert.Equal(GgmlType.Q6_K, Type("blk.3.attn_v.weight", 1536));
        Assert.Equal(GgmlType.Q6_K, Type("blk.7.ffn_down.weight", 8960));
        Assert.Equal(GgmlType.Q4_K, Type("blk.4.ffn_down.weight", 8960));
        Assert.Equal(GgmlType.Q4_K, Type("blk.0.attn_q.weight", 1536));
        Assert.Equal(GgmlType.Q4_K, Type("blk.0.ffn_gate.weight", 1536));
        Assert.Equal(GgmlType.Q5_0, Type("blk.0.attn_q.weight", 896));       // Q4_K falls back to Q5_0
        Assert.Equal(GgmlType.Q8_0, Type("blk.0.attn_v.weight", 896));       // Q6_K falls back to Q8_0
        Assert.Equal(GgmlType.F16, Type("blk.0.attn_q.weight", 72));         // not even 32-blocks
        Assert.Equal(GgmlType.F32, Type("blk.0.attn_q.bias", 1536, dimensions: 1));
        Assert.Equal(GgmlType.F32, Type("blk.0.attn_norm.weight", 1536, dimensions: 1));
    }
}
