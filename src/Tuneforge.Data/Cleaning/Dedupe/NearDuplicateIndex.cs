namespace Tuneforge.Data.Cleaning.Dedupe;

/// <summary>The kept records seen so far, searchable for near duplicates: LSH finds candidates, the exact Jaccard
/// of the shingle sets decides (similarity ≥ threshold is a near duplicate).</summary>
public sealed class NearDuplicateIndex(double threshold, LshParameters parameters)
{
    readonly LshIndex lsh = new(parameters);
    readonly ShingleStore shingles = new();
    int[] checkedAt = new int[1024]; // the query number that last verified an item, so each is verified once
    int query;

    public LshParameters Parameters => parameters;

    public int Count => lsh.Count;

    /// <summary>The band keys of a signature (see <see cref="LshIndex.BandKeys"/>); safe to call from any thread.</summary>
    public uint[] BandKeys(ReadOnlySpan<uint> signature) => lsh.BandKeys(signature);

    /// <summary>The most similar indexed item with similarity ≥ threshold (the earliest on a tie), or null.</summary>
    public (int Item, double Similarity)? FindDuplicate(ReadOnlySpan<uint> recordShingles, ReadOnlySpan<uint> bandKeys)
    {
        if (recordShingles.IsEmpty) return null;
        query++;
        var best = -1;
        var bestSimilarity = 0.0;
        for (var band = 0; band < bandKeys.Length; band++)
            for (var item = lsh.First(band, bandKeys[band]); item >= 0; item = lsh.Next(item, band))
            {
                if (checkedAt[item] == query) continue;
                checkedAt[item] = query;
                var similarity = Shingles.Jaccard(recordShingles, shingles.Get(item));
                if (similarity < threshold) continue;
                if (similarity > bestSimilarity || (similarity == bestSimilarity && item < best))
                {
                    best = item;
                    bestSimilarity = similarity;
                }
            }
        return best < 0 ? null : (best, bestSimilarity);
    }

    /// <summary>Adds a kept record; returns its item number (0, 1, 2 ...).</summary>
    public int Add(ReadOnlySpan<uint> recordShingles, ReadOnlySpan<uint> bandKeys)
    {
        shingles.Add(recordShingles);
        if (lsh.Count >= checkedAt.Length) Array.Resize(ref checkedAt, checkedAt.Length * 2);
        return lsh.Add(bandKeys);
    }
}
