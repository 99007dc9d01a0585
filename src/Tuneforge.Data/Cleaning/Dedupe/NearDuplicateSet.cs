using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Cleaning.Dedupe;

/// <summary>Named texts searchable for near duplicates with Clean's settings (clean.near_dedupe): MinHash LSH finds
/// candidates, the exact Jaccard of character n-gram shingles decides. For data made after Clean (Augment's paraphrases).</summary>
public sealed class NearDuplicateSet(NearDedupeSpec spec)
{
    readonly MinHasher hasher = new(spec.NumPerm);
    readonly NearDuplicateIndex index = new(spec.Threshold, LshParameters.For(spec.Threshold, spec.NumPerm));
    readonly List<string> names = [];

    /// <summary>The most similar text added so far at or above the threshold, or null.</summary>
    public (string Name, double Similarity)? Find(IReadOnlyList<string> texts)
    {
        var shingles = Shingles.Of(texts, spec.Ngram);
        return index.FindDuplicate(shingles, index.BandKeys(hasher.Signature(shingles))) is var (item, similarity) ? (names[item], similarity) : null;
    }

    public void Add(string name, IReadOnlyList<string> texts)
    {
        var shingles = Shingles.Of(texts, spec.Ngram);
        index.Add(shingles, index.BandKeys(hasher.Signature(shingles)));
        names.Add(name);
    }
}
