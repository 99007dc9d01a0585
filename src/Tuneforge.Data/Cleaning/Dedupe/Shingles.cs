using System.Buffers;

namespace Tuneforge.Data.Cleaning.Dedupe;

/// <summary>Character n-grams ("shingles") of a text as a sorted set of 32-bit hashes. Characters, not words,
/// so Chinese (no spaces) works; lower-cased so case alone does not make two records different.</summary>
public static class Shingles
{
    public static uint[] Of(string text, int n) => Of(text.AsSpan(), n);

    /// <summary>The shingles of several texts joined by line breaks (a conversation's turns), without joining them.</summary>
    public static uint[] Of(IReadOnlyList<string> texts, int n)
    {
        var length = texts.Sum(t => t.Length) + texts.Count - 1;
        var rented = length <= 2048 ? null : ArrayPool<char>.Shared.Rent(length);
        var buffer = rented ?? stackalloc char[length];
        var position = 0;
        for (var i = 0; i < texts.Count; i++)
        {
            if (i > 0) buffer[position++] = '\n';
            texts[i].AsSpan().CopyTo(buffer[position..]);
            position += texts[i].Length;
        }
        var shingles = Of(buffer[..length], n);
        if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        return shingles;
    }

    public static uint[] Of(ReadOnlySpan<char> original, int n)
    {
        if (original.IsEmpty) return [];
        var rented = original.Length <= 2048 ? null : ArrayPool<char>.Shared.Rent(original.Length);
        var text = rented ?? stackalloc char[original.Length];
        text = text[..original.Length];
        original.ToLowerInvariant(text);
        var count = Math.Max(1, text.Length - n + 1);
        var width = Math.Min(n, text.Length);
        var hashes = new uint[count];
        // A polynomial rolling hash, finished with a mixer: one multiply-add per character.
        var power = 1UL;
        for (var k = 1; k < width; k++) power *= Base;
        var rolling = 0UL;
        for (var k = 0; k < width; k++) rolling = rolling * Base + text[k];
        hashes[0] = Finish(rolling);
        for (var i = 1; i < count; i++)
        {
            rolling = (rolling - text[i - 1] * power) * Base + text[i + width - 1];
            hashes[i] = Finish(rolling);
        }
        if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        hashes.AsSpan().Sort();
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
