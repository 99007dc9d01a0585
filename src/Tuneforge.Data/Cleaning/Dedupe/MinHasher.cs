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

    /// <summary>The signature into a caller's buffer of <see cref="NumPerm"/> values (no allocation).</summary>
    public void Signature(ReadOnlySpan<uint> shingles, Span<uint> signature) => Compute(shingles, signature[..NumPerm]);

    public uint[] Signature(ReadOnlySpan<uint> shingles)
    {
        var signature = new uint[NumPerm];
        Compute(shingles, signature);
        return signature;
    }

    public void Compute(ReadOnlySpan<uint> shingles, Span<uint> signature)
    {
        var p = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // 32 functions per pass over the shingles: four independent minimum chains keep the multipliers busy.
            for (; p + 32 <= NumPerm; p += 32)
            {
                var (a0, a1, a2, a3) = (Load(a, p), Load(a, p + 8), Load(a, p + 16), Load(a, p + 24));
                var (b0, b1, b2, b3) = (Load(b, p), Load(b, p + 8), Load(b, p + 16), Load(b, p + 24));
                var (m0, m1, m2, m3) = (Vector512<ulong>.AllBitsSet, Vector512<ulong>.AllBitsSet, Vector512<ulong>.AllBitsSet, Vector512<ulong>.AllBitsSet);
                foreach (var shingle in shingles)
                {
                    var x = Vector512.Create((ulong)shingle);
                    m0 = Vector512.Min(m0, Vector512.ShiftRightLogical(a0 * x + b0, 32));
                    m1 = Vector512.Min(m1, Vector512.ShiftRightLogical(a1 * x + b1, 32));
                    m2 = Vector512.Min(m2, Vector512.ShiftRightLogical(a2 * x + b2, 32));
                    m3 = Vector512.Min(m3, Vector512.ShiftRightLogical(a3 * x + b3, 32));
                }
                Store(m0, signature, p);
                Store(m1, signature, p + 8);
                Store(m2, signature, p + 16);
                Store(m3, signature, p + 24);
            }
            for (; p + 8 <= NumPerm; p += 8)
            {
                var (va, vb) = (Load(a, p), Load(b, p));
                var min = Vector512<ulong>.AllBitsSet;
                foreach (var shingle in shingles)
                    min = Vector512.Min(min, Vector512.ShiftRightLogical(va * Vector512.Create((ulong)shingle) + vb, 32));
                Store(min, signature, p);
            }
        }
        for (; p < NumPerm; p++)
            signature[p] = ScalarMin(shingles, a[p], b[p]);
    }

    static Vector512<ulong> Load(ulong[] values, int start) => Vector512.Create(values.AsSpan(start, 8));

    static void Store(Vector512<ulong> minimums, Span<uint> signature, int start) =>
        Vector256.Narrow(minimums.GetLower(), minimums.GetUpper()).CopyTo(signature[start..]);

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
