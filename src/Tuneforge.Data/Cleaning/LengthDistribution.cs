namespace Tuneforge.Data.Cleaning;

/// <summary>Summary of a list of lengths: min, percentiles (nearest rank), max, mean and a power-of-two histogram.</summary>
public sealed record LengthDistribution(int Count, int Min, int P10, int P50, int P90, int P99, int Max, double Mean,
    IReadOnlyList<(int UpTo, int Count)> Histogram)
{
    /// <summary>Upper bounds of the histogram buckets; the last one takes everything longer.</summary>
    public static readonly int[] BucketBounds = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, int.MaxValue];

    public static LengthDistribution Of(IEnumerable<int> lengths)
    {
        var sorted = lengths.ToArray();
        Array.Sort(sorted);
        if (sorted.Length == 0) return new LengthDistribution(0, 0, 0, 0, 0, 0, 0, 0, []);
        int Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        var histogram = new List<(int, int)>();
        var index = 0;
        foreach (var bound in BucketBounds)
        {
            var start = index;
            while (index < sorted.Length && sorted[index] <= bound) index++;
            if (index > start || (histogram.Count > 0 && index < sorted.Length)) histogram.Add((bound, index - start));
            if (index == sorted.Length) break;
        }
        return new LengthDistribution(sorted.Length, sorted[0], Rank(0.10), Rank(0.50), Rank(0.90), Rank(0.99), sorted[^1],
            Math.Round(sorted.Average(x => (double)x), 2), histogram);
    }
}
