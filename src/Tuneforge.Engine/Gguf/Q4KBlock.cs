using System.Buffers.Binary;

namespace Tuneforge.Engine.Gguf;

/// <summary>
/// ggml's Q4_K super-block: 256 values in 8 sub-blocks of 32, value = d·scale_j·q − dmin·min_j with 4-bit q and 6-bit
/// scale_j, min_j. Layout (144 bytes): f16 d, f16 dmin, 12 bytes of packed scales and mins, 128 bytes of nibbles where
/// byte 32c + l holds sub-block 2c's value l in its low and sub-block 2c+1's value l in its high nibble.
/// </summary>
public static class Q4KBlock
{
    public const int Values = 256;
    public const int Bytes = 144;

    /// <summary>
    /// Per sub-block the range [min(0, min x), max x] is covered by 16 levels: min_j rounds up and scale_j rounds up
    /// (d and dmin also round up to f16), so no value is clipped and each is off by at most half of its step d·scale_j.
    /// Simpler than llama.cpp's error-weighted search (make_qkx2_quants); the decode is the same.
    /// </summary>
    public static void Encode(ReadOnlySpan<float> x, Span<byte> block)
    {
        Span<float> negativeMin = stackalloc float[8];
        Span<float> top = stackalloc float[8];
        for (var j = 0; j < 8; j++)
        {
            float low = 0, high = float.NegativeInfinity;
            foreach (var v in x.Slice(32 * j, 32))
            {
                low = Math.Min(low, v);
                high = Math.Max(high, v);
            }
            negativeMin[j] = -low;
            top[j] = high;
        }
        var dmin = HalfAtLeast(Max(negativeMin) / 63);
        Span<int> mins = stackalloc int[8];
        Span<float> steps = stackalloc float[8];
        for (var j = 0; j < 8; j++)
        {
            mins[j] = (float)dmin > 0 ? Math.Min(63, (int)MathF.Ceiling(negativeMin[j] / (float)dmin)) : 0;
            steps[j] = Math.Max(0, top[j] + (float)dmin * mins[j]) / 15;
        }
        var d = HalfAtLeast(Max(steps) / 63);
        Span<int> scales = stackalloc int[8];
        for (var j = 0; j < 8; j++) scales[j] = (float)d > 0 ? Math.Min(63, (int)MathF.Ceiling(steps[j] / (float)d)) : 0;

        BinaryPrimitives.WriteHalfLittleEndian(block, d);
        BinaryPrimitives.WriteHalfLittleEndian(block[2..], dmin);
        PackScales(scales, mins, block.Slice(4, 12));
        var quants = block.Slice(16, 128);
        quants.Clear();
        for (var j = 0; j < 8; j++)
        {
            var step = (float)d * scales[j];
            var offset = (float)dmin * mins[j];
            var inverse = step > 0 ? 1 / step : 0;
            var shift = j % 2 == 0 ? 0 : 4;
            for (var l = 0; l < 32; l++)
            {
                var q = Math.Clamp((int)MathF.Round((x[32 * j + l] + offset) * inverse, MidpointRounding.AwayFromZero), 0, 15);
                quants[32 * (j / 2) + l] |= (byte)(q << shift);
            }
        }
    }

    public static void Decode(ReadOnlySpan<byte> block, Span<float> y)
    {
        var d = (float)BinaryPrimitives.ReadHalfLittleEndian(block);
        var dmin = (float)BinaryPrimitives.ReadHalfLittleEndian(block[2..]);
        var packed = block.Slice(4, 12);
        var quants = block.Slice(16, 128);
        for (var j = 0; j < 8; j++)
        {
            var (scale, min) = ScaleAndMin(packed, j);
            var step = d * scale;
            var offset = dmin * min;
            var shift = j % 2 == 0 ? 0 : 4;
            for (var l = 0; l < 32; l++) y[32 * j + l] = step * ((quants[32 * (j / 2) + l] >> shift) & 0xF) - offset;
        }
    }

    /// <summary>
    /// 6-bit scale and min of sub-block j: for j &lt; 4 the low 6 bits of bytes j and j+4; for j ≥ 4 the nibbles of byte
    /// j+4 with their top 2 bits in the spare top bits of bytes j-4 (scale) and j (min).
    /// </summary>
    public static (int Scale, int Min) ScaleAndMin(ReadOnlySpan<byte> packed, int j) => j < 4
        ? (packed[j] & 63, packed[j + 4] & 63)
        : ((packed[j + 4] & 0xF) | ((packed[j - 4] >> 6) << 4), (packed[j + 4] >> 4) | ((packed[j] >> 6) << 4));

    private static void PackScales(ReadOnlySpan<int> scales, ReadOnlySpan<int> mins, Span<byte> packed)
    {
        packed.Clear();
        for (var j = 0; j < 8; j++)
        {
            if (j < 4)
            {
                packed[j] |= (byte)scales[j];
                packed[j + 4] |= (byte)mins[j];
            }
            else
            {
                packed[j + 4] = (byte)((scales[j] & 0xF) | ((mins[j] & 0xF) << 4));
                packed[j - 4] |= (byte)((scales[j] >> 4) << 6);
                packed[j] |= (byte)((mins[j] >> 4) << 6);
            }
        }
    }

    private static float Max(ReadOnlySpan<float> values)
    {
        var max = 0f;
        foreach (var v in values) max = Math.Max(max, v);
        return max;
    }

    /// <summary>The nearest f16 not below <paramref name="value"/>: a scale rounded down would clip the largest value.</summary>
    internal static Half HalfAtLeast(float value)
    {
        var half = (Half)value;
        return (float)half < value ? Half.BitIncrement(half) : half;
    }
}
