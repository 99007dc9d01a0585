using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Tuneforge.Data.Cleaning.Dedupe;

/// <summary>Character n-grams ("shingles") of a text as a sorted set of 32-bit hashes. Characters, not words,
/// so Chinese (no spaces) works; lower-cased so case alone does not make two records different.</summary>
public static class Shingles
{
    public static uint[] Of(string text, int n)
    {
        if (text.Length == 0) return [];
        var lower = text.ToLowerInvariant();
        var span = lower.AsSpan();
        var count = Math.Max(1, span.Length - n + 1);
        var hashes = new uint[count];
        for (var i = 0; i < count; i++)
        {
            var gram = span.Slice(i, Math.Min(n, span.Length - i));
            hashes[i] = (uint)XxHash3.HashToUInt64(MemoryMarshal.AsBytes(gram));
        }
        Array.Sort(hashes);
        var distinct = 1;
        for (var i = 1; i < hashes.Length; i++)
            if (hashes[i] != hashes[distinct - 1]) hashes[distinct++] = hashes[i];
        return distinct == hashes.Length ? hashes : hashes[..distinct];
    }

    /// <summary>Exact Jaccard similarity |A∩B| / |A∪B| of two sorted sets.</summary>
    public static double Jaccard(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        if (a.IsEmpty && b.IsEmpty) return 1;
        int i = 0, j = 0, common = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j]) { common++; i++; j++; }
            else if (a[i] < b[j]) i++;
            else j++;
        }
        return (double)common / (a.Length + b.Length - common);
    }
}
