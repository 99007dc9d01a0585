using System.Buffers.Binary;

namespace Tuneforge.Engine.Gguf;

/// <summary>
/// ggml's Q6_K super-block: 256 values in 16 sub-blocks of 16, value = d·scale_s·(q − 32) with 6-bit q and int8
/// scale_s. Layout (210 bytes): 128 bytes of low nibbles, 64 bytes of high 2-bit pairs, 16 int8 scales, f16 d. Each
/// half of 128 values uses 64 low-nibble bytes and 32 high-bit bytes: value l + 32k (l &lt; 32, k &lt; 4) has its low
/// 4 bits in byte l + 32·(k mod 2), low nibble for k &lt; 2 else high, and its high 2 bits at bit 2k of byte l.
/// </summary>
public static class Q6KBlock
{
    public const int Values = 256;
    public const int Bytes = 210;

    /// <summary>
    /// Symmetric per sub-block: step ≥ max|x| / 31.5 (scale rounded up, d rounded up to f16), so every x/step lies in
    /// [−31.5, 31.5] and rounding into [−32, 31] is off by at most half a step. llama.cpp searches the scale instead.
    /// </summary>
    public static void Encode(ReadOnlySpan<float> x, Span<byte> block)
    {
        Span<float> wanted = stackalloc float[16];
        var largest = 0f;
        for (var s = 0; s < 16; s++)
        {
            var amax = 0f;
            foreach (var v in x.Slice(16 * s, 16)) amax = Math.Max(amax, Math.Abs(v));
            wanted[s] = amax / 31.5f;
            largest = Math.Max(largest, wanted[s]);
        }
        var d = Q4KBlock.HalfAtLeast(largest / 127);
        var scales = block.Slice(192, 16);
        Span<int> q = stackalloc int[256];
        for (var s = 0; s < 16; s++)
        {
            var scale = (float)d > 0 ? Math.Min(127, (int)MathF.Ceiling(wanted[s] / (float)d)) : 0;
            scales[s] = (byte)(sbyte)scale;
            var step = (float)d * scale;
            var inverse = step > 0 ? 1 / step : 0;
            for (var i = 16 * s; i < 16 * s + 16; i++)
                q[i] = Math.Clamp((int)MathF.Round(x[i] * inverse, MidpointRounding.AwayFromZero), -32, 31) + 32;
        }
        var low = block[..128];
        var high = block.Slice(128, 64);
        low.Clear();
        high.Clear();
        for (var half = 0; half < 2; half++)
        for (var k = 0; k < 4; k++)
        for (var l = 0; l < 32; l++)
        {
            var value = q[128 * half + 32 * k + l];
            low[64 * half + 32 * (k % 2) + l] |= (byte)((value & 0xF) << (k < 2 ? 0 : 4));
            high[32 * half + l] |= (byte)((value >> 4) << (2 * k));
        }
        BinaryPrimitives.WriteHalfLittleEndian(block[208..], d);
    }

    public static void Decode(ReadOnlySpan<byte> block, Span<float> y)
    {
        var low = block[..128];
        var high = block.Slice(128, 64);
        var scales = block.Slice(192, 16);
        var d = (float)BinaryPrimitives.ReadHalfLittleEndian(block[208..]);
        for (var half = 0; half < 2; half++)
        for (var k = 0; k < 4; k++)
        for (var l = 0; l < 32; l++)
        {
            var i = 128 * half + 32 * k + l;
            var lowBits = (low[64 * half + 32 * (k % 2) + l] >> (k < 2 ? 0 : 4)) & 0xF;
            var highBits = (high[32 * half + l] >> (2 * k)) & 3;
            y[i] = d * (sbyte)scales[i / 16] * ((lowBits | (highBits << 4)) - 32);
        }
    }
}
