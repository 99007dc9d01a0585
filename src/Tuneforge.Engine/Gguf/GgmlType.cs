namespace Tuneforge.Engine.Gguf;

/// <summary>ggml's tensor types, numbered as in GGUF files (ggml.h's <c>enum ggml_type</c>).</summary>
public enum GgmlType : uint
{
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q5_0 = 6,
    Q8_0 = 8,
    Q4_K = 12,
    Q6_K = 14,
    BF16 = 30,
}

/// <summary>Block geometry of each type: a row of <c>n</c> values takes <c>n / BlockSize * BlockBytes</c> bytes.</summary>
public static class GgmlTypes
{
    /// <summary>Values per block (1 for the float types).</summary>
    public static int BlockSize(GgmlType type) => type switch
    {
        GgmlType.F32 or GgmlType.F16 or GgmlType.BF16 => 1,
        GgmlType.Q4_0 or GgmlType.Q5_0 or GgmlType.Q8_0 => 32,
        GgmlType.Q4_K or GgmlType.Q6_K => 256,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown ggml type"),
    };

    /// <summary>
    /// Bytes per block: Q8_0 is an f16 scale and 32 int8; Q4_0 an f16 scale and 32 packed nibbles; Q5_0 adds 32 fifth
    /// bits; Q4_K an f16 d and dmin, 12 bytes of 6-bit scales and mins, 256 nibbles; Q6_K 256 6-bit values (low 4 bits,
    /// high 2 bits), 16 int8 scales and an f16 d.
    /// </summary>
    public static int BlockBytes(GgmlType type) => type switch
    {
        GgmlType.F32 => 4,
        GgmlType.F16 or GgmlType.BF16 => 2,
        GgmlType.Q8_0 => 2 + 32,
        GgmlType.Q4_0 => 2 + 16,
        GgmlType.Q5_0 => 2 + 4 + 16,
        GgmlType.Q4_K => 2 + 2 + 12 + 128,
        GgmlType.Q6_K => 128 + 64 + 16 + 2,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown ggml type"),
    };

    public static bool IsKnown(uint value) => Enum.IsDefined(typeof(GgmlType), value);

    /// <summary>Whether a row of <paramref name="rowLength"/> values can be stored as <paramref name="type"/>.</summary>
    public static bool Fits(GgmlType type, long rowLength) => rowLength % BlockSize(type) == 0;

    /// <summary>Bytes of a tensor whose innermost dimension is <c>dims[0]</c>.</summary>
    public static long ByteCount(GgmlType type, IReadOnlyList<long> dims)
    {
        var elements = dims.Aggregate(1L, (product, d) => checked(product * d));
        if (!Fits(type, dims[0]))
            throw new ArgumentException($"a row of {dims[0]} values is not a whole number of {type} blocks ({BlockSize(type)} values each)");
        return elements / BlockSize(type) * BlockBytes(type);
    }
}
