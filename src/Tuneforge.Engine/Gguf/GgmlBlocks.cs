using System.Buffers.Binary;

namespace Tuneforge.Engine.Gguf;

/// <summary>
/// Converts float32 values to and from ggml's storage: F32, F16, BF16, and the 32-value blocks Q8_0
/// (f16 scale d = max|x| / 127, int8 q = round(x / d)) and Q4_0 (f16 scale d = x_m / -8 where x_m is the value of
/// largest magnitude, 4-bit q = min(15, trunc(x / d + 8.5)), value = (q - 8)·d; byte j holds q[j] in its low and
/// q[j + 16] in its high nibble), Q5_0 (as Q4_0 with d = x_m / -16, 5-bit q and the fifth bits in a uint32), and the
/// 256-value K-quant blocks <see cref="Q4KBlock"/> and <see cref="Q6KBlock"/>. Values are laid out row-major with rows
/// of <c>dims[0]</c>, as ggml reads them.
/// </summary>
public static class GgmlBlocks
{
    public static byte[] Encode(ReadOnlySpan<float> values, GgmlType type)
    {
        var bytes = new byte[checked(values.Length / GgmlTypes.BlockSize(type) * GgmlTypes.BlockBytes(type))];
        if (values.Length % GgmlTypes.BlockSize(type) != 0)
            throw new ArgumentException($"{values.Length} values are not a whole number of {type} blocks");
        var output = bytes.AsSpan();
        switch (type)
        {
            case GgmlType.F32:
                for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(output[(4 * i)..], values[i]);
                break;
            case GgmlType.F16:
                for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteHalfLittleEndian(output[(2 * i)..], (Half)values[i]);
                break;
            case GgmlType.BF16:
                for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(output[(2 * i)..], ToBFloat16(values[i]));
                break;
            case GgmlType.Q8_0:
                for (var block = 0; block < values.Length / 32; block++) EncodeQ8_0(values.Slice(block * 32, 32), output.Slice(block * 34, 34));
                break;
            case GgmlType.Q4_0:
                for (var block = 0; block < values.Length / 32; block++) EncodeQ4_0(values.Slice(block * 32, 32), output.Slice(block * 18, 18));
                break;
            case GgmlType.Q5_0:
                for (var block = 0; block < values.Length / 32; block++) EncodeQ5_0(values.Slice(block * 32, 32), output.Slice(block * 22, 22));
                break;
            case GgmlType.Q4_K:
                for (var block = 0; block < values.Length / 256; block++) Q4KBlock.Encode(values.Slice(block * 256, 256), output.Slice(block * Q4KBlock.Bytes, Q4KBlock.Bytes));
                break;
            case GgmlType.Q6_K:
                for (var block = 0; block < values.Length / 256; block++) Q6KBlock.Encode(values.Slice(block * 256, 256), output.Slice(block * Q6KBlock.Bytes, Q6KBlock.Bytes));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
        return bytes;
    }

    public static float[] Decode(ReadOnlySpan<byte> bytes, GgmlType type, long count)
    {
        var values = new float[count];
        switch (type)
        {
            case GgmlType.F32:
                for (var i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]);
                break;
            case GgmlType.F16:
                for (var i = 0; i < count; i++) values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(2 * i)..]);
                break;
            case GgmlType.BF16:
                for (var i = 0; i < count; i++) values[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]) << 16);
                break;
            case GgmlType.Q8_0:
                for (var block = 0; block < count / 32; block++)
                {
                    var source = bytes.Slice(block * 34, 34);
                    var d = (float)BinaryPrimitives.ReadHalfLittleEndian(source);
                    for (var j = 0; j < 32; j++) values[block * 32 + j] = (sbyte)source[2 + j] * d;
                }
                break;
            case GgmlType.Q4_0:
                for (var block = 0; block < count / 32; block++)
                {
                    var source = bytes.Slice(block * 18, 18);
                    var d = (float)BinaryPrimitives.ReadHalfLittleEndian(source);
                    for (var j = 0; j < 16; j++)
                    {
                        values[block * 32 + j] = ((source[2 + j] & 0x0F) - 8) * d;
                        values[block * 32 + j + 16] = ((source[2 + j] >> 4) - 8) * d;
                    }
                }
                break;
            case GgmlType.Q5_0:
                for (var block = 0; block < count / 32; block++)
                {
                    var source = bytes.Slice(block * 22, 22);
                    var d = (float)BinaryPrimitives.ReadHalfLittleEndian(source);
                    var fifthBits = BinaryPrimitives.ReadUInt32LittleEndian(source[2..]);
                    for (var j = 0; j < 16; j++)
                    {
                        values[block * 32 + j] = ((source[6 + j] & 0x0F | (int)((fifthBits >> j) & 1) << 4) - 16) * d;
                        values[block * 32 + j + 16] = ((source[6 + j] >> 4 | (int)((fifthBits >> (j + 16)) & 1) << 4) - 16) * d;
                    }
                }
                break;
            case GgmlType.Q4_K:
                for (var block = 0; block < count / 256; block++) Q4KBlock.Decode(bytes.Slice(block * Q4KBlock.Bytes, Q4KBlock.Bytes), values.AsSpan(block * 256, 256));
                break;
            case GgmlType.Q6_K:
                for (var block = 0; block < count / 256; block++) Q6KBlock.Decode(bytes.Slice(block * Q6KBlock.Bytes, Q6KBlock.Bytes), values.AsSpan(block * 256, 256));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
        return values;
    }

    /// <summary>float32 to bfloat16 with round-to-nearest-even; NaN stays a (quiet) NaN.</summary>
    public static ushort ToBFloat16(float value)
    {
        var bits = (uint)BitConverter.SingleToInt32Bits(value);
        if ((bits & 0x7FFF_FFFF) > 0x7F80_0000) return (ushort)((bits >> 16) | 0x40);
        return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
    }

    /// <summary>The value of largest magnitude, with its sign (the first one on ties, as ggml picks it).</summary>
    private static float LargestMagnitude(ReadOnlySpan<float> x)
    {
        float amax = 0, max = 0;
        foreach (var v in x)
        {
            if (amax < Math.Abs(v))
            {
                amax = Math.Abs(v);
                max = v;
            }
        }
        return max;
    }

    private static void EncodeQ8_0(ReadOnlySpan<float> x, Span<byte> block)
    {
        var amax = 0f;
        foreach (var v in x) amax = Math.Max(amax, Math.Abs(v));
        var d = amax / 127f;
        var id = d != 0 ? 1f / d : 0f;
        BinaryPrimitives.WriteHalfLittleEndian(block, (Half)d);
        for (var j = 0; j < 32; j++) block[2 + j] = (byte)(sbyte)MathF.Round(x[j] * id, MidpointRounding.AwayFromZero);
    }

    private static void EncodeQ4_0(ReadOnlySpan<float> x, Span<byte> block)
    {
        var d = LargestMagnitude(x) / -8f;
        var id = d != 0 ? 1f / d : 0f;
        BinaryPrimitives.WriteHalfLittleEndian(block, (Half)d);
        for (var j = 0; j < 16; j++)
        {
            var low = Math.Min(15, (int)(sbyte)(x[j] * id + 8.5f));
            var high = Math.Min(15, (int)(sbyte)(x[j + 16] * id + 8.5f));
            block[2 + j] = (byte)(low | (high << 4));
        }
    }

    private static void EncodeQ5_0(ReadOnlySpan<float> x, Span<byte> block)
    {
        var d = LargestMagnitude(x) / -16f;
        var id = d != 0 ? 1f / d : 0f;
        BinaryPrimitives.WriteHalfLittleEndian(block, (Half)d);
        uint fifthBits = 0;
        for (var j = 0; j < 16; j++)
        {
            var low = Math.Min(31, (int)(sbyte)(x[j] * id + 16.5f));
            var high = Math.Min(31, (int)(sbyte)(x[j + 16] * id + 16.5f));
            block[6 + j] = (byte)((low & 0xF) | ((high & 0xF) << 4));
            fifthBits |= (uint)(low >> 4) << j | (uint)(high >> 4) << (j + 16);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(block[2..], fifthBits);
    }
}
