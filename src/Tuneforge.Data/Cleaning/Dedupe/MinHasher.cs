using System.Runtime.Intrinsics;

namespace Tuneforge.Data.Cleaning.Dedupe;

/// <summary>MinHash signatures: for each of <c>numPerm</c> hash functions h_i(x) = ((a_i·x + b_i) mod 2^64) >> 32
/// (multiply-add-shift, a_i odd), the minimum over a record's shingle hashes. Two records agree at position i
/// with probability equal to their Jaccard similarity. Computed 8 functions at a time with 512-bit vectors.</summary>
public sealed class MinHasher
{
    readonly ulong[] a;
    readonly ulong[] b;

    public MinHasher(int numPerm, ulong seed = 0x5475_6E65_666F_7267) // "Tuneforg"
    {
        if (numPerm < 1) throw new ArgumentOutOfRangeException(nameof(numPerm));
        NumPerm = numPerm;
        a = new ulong[numPerm];
        b = new ulong[numPerm];
        var state = seed;
        for (var i = 0; i < numPerm; i++)
        {
            a[i] = SplitMix64(ref state) | 1;
            b[i] = SplitMix64(ref state);
        }
    }

    public int NumPerm { get; }

    public uint[] Signature(ReadOnlySpan<uint> shingles)
    {
        var signature = new uint[NumPerm];
        Compute(shingles, signature);
        return signature;
    }

    public void Compute(ReadOnlySpan<uint> shingles, Span<uint> signature)
    {
        var vectorized = Vector512.IsHardwareAccelerated ? NumPerm / 8 * 8 : 0;
        for (var p = 0; p < vectorized; p += 8)
        {
            var va = Vector512.Create(a.AsSpan(p, 8));
            var vb = Vector512.Create(b.AsSpan(p, 8));
            var min = Vector512<ulong>.AllBitsSet;
            foreach (var x in shingles)
                min = Vector512.Min(min, Vector512.ShiftRightLogical(va * Vector512.Create((ulong)x) + vb, 32));
            for (var k = 0; k < 8; k++) signature[p + k] = (uint)min[k];
        }
        for (var p = vectorized; p < NumPerm; p++)
            signature[p] = ScalarMin(shingles, a[p], b[p]);
    }

    /// <summary>The same values without vectors (for checking, and for machines without 512-bit vectors).</summary>
    public uint[] SignatureScalar(ReadOnlySpan<uint> shingles)
    {
        var signature = new uint[NumPerm];
        for (var p = 0; p < NumPerm; p++) signature[p] = ScalarMin(shingles, a[p], b[p]);
        return signature;
    }

    static uint ScalarMin(ReadOnlySpan<uint> shingles, ulong a, ulong b)
    {
        var min = uint.MaxValue;
        foreach (var x in shingles) min = Math.Min(min, (uint)((a * x + b) >> 32));
        return min;
    }

    static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
