namespace Tuneforge.Data.Cleaning.Dedupe;

/// <summary>Character n-grams ("shingles") of a text as a sorted set of 32-bit hashes. Characters, not words,
/// so Chinese (no spaces) works; lower-cased so case alone does not make two records different.</summary>
public static class Shingles
{
    public static uint[] Of(string text, int n)
    {
        if (text.Length == 0) return [];
        var count = Math.Max(1, text.Length - n + 1);
        var width = Math.Min(n, text.Length);
        var hashes = new uint[count];
        // A polynomial rolling hash over the lower-cased characters, finished with a mixer: one multiply-add per character.
        var power = 1UL;
        for (var k = 1; k < width; k++) power *= Base;
        var rolling = 0UL;
        for (var k = 0; k < width; k++) rolling = rolling * Base + char.ToLowerInvariant(text[k]);
        hashes[0] = Finish(rolling);
        for (var i = 1; i < count; i++)
        {
            rolling = (rolling - char.ToLowerInvariant(text[i - 1]) * power) * Base + char.ToLowerInvariant(text[i + width - 1]);
            hashes[i] = Finish(rolling);
        }
        Array.Sort(hashes);
        var distinct = 1;
        for (var i = 1; i < hashes.Length; i++)
            if (hashes[i] != hashes[distinct - 1]) hashes[distinct++] = hashes[i];
        return distinct == hashes.Length ? hashes : hashes[..distinct];
    }

    const ulong Base = 0x100000001B3; // odd, larger than any UTF-16 unit

    // MurmurHash3's 64-bit finalizer: every input bit affects every output bit.
    static uint Finish(ulong h)
    {
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCD;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53;
        h ^= h >> 33;
        return (uint)h;
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
