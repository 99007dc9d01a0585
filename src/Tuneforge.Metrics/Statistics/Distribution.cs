using System.Text.Json.Serialization;

namespace Tuneforge.Metrics.Statistics;

/// <summary>Mean, median and 90th percentile of a list of values.</summary>
public sealed record DistributionSummary(
    [property: JsonPropertyName("mean")] double Mean,
    [property: JsonPropertyName("median")] double Median,
    [property: JsonPropertyName("p90")] double P90)
{
    /// <summary>Summarizes <paramref name="values"/>; an empty list summarizes to zeros.</summary>
    public static DistributionSummary Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) return new DistributionSummary(0, 0, 0);
        var sorted = values.Order().ToArray();
        return new DistributionSummary(sorted.Average(), Percentile.OfSorted(sorted, 50), Percentile.OfSorted(sorted, 90));
    }
}

/// <summary>Percentiles with linear interpolation between closest ranks (numpy's default method).</summary>
public static class Percentile
{
    /// <summary>The <paramref name="percent"/>-th percentile (0..100) of ascending <paramref name="sorted"/> values.</summary>
    public static double OfSorted(IReadOnlyList<double> sorted, double percent)
    {
        if (sorted.Count == 0) throw new ArgumentException("no values to take a percentile of", nameof(sorted));
        if (percent is < 0 or > 100) throw new ArgumentOutOfRangeException(nameof(percent), percent, "must be within 0..100");
        double rank = percent / 100.0 * (sorted.Count - 1);
        int lower = (int)Math.Floor(rank);
        int upper = Math.Min(lower + 1, sorted.Count - 1);
        double fraction = rank - lower;
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction;
    }
}
