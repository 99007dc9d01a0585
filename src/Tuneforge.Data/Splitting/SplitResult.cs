namespace Tuneforge.Data.Splitting;

/// <summary>Records per part (train, val, test) and per category; the files are in <paramref name="OutputDirectory"/>.</summary>
/// <param name="Warnings">Strata (categories) too small for every part to get one of their records.</param>
public sealed record SplitResult(IReadOnlyDictionary<string, int> Counts, IReadOnlyList<(string Category, int[] Counts)> ByCategory,
    int Units, int LargestUnit, string OutputDirectory, IReadOnlyList<string> Warnings)
{
    public int Train => Counts["train"];
    public int Val => Counts["val"];
    public int Test => Counts["test"];
}
