namespace Tuneforge.Metrics.Statistics;

/// <summary>A tuned-minus-base difference with its bootstrap confidence interval.</summary>
/// <param name="Delta">The difference on the full set.</param>
/// <param name="Low">Lower bound of the interval (percentile of the resampled differences).</param>
/// <param name="High">Upper bound.</param>
public sealed record DifferenceInterval(double Delta, double Low, double High)
{
    /// <summary>True when the interval lies entirely above or entirely below zero.</summary>
    public bool ExcludesZero => Low > 0 || High < 0;
}

/// <summary>Settings of a paired bootstrap; the seed fixes the resamples, so results are reproducible.</summary>
public sealed record BootstrapOptions(int Samples = 1000, ulong Seed = 12345, double Confidence = 0.95)
{
    public void Validate()
    {
        if (Samples < 1) throw new ArgumentOutOfRangeException(nameof(Samples), Samples, "bootstrap needs at least one sample");
        if (Confidence is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(Confidence), Confidence, "confidence must be within (0, 1), e.g. 0.95");
    }
}

/// <summary>
/// Paired bootstrap resampling (Koehn, 2004): draw the same example indices with replacement for both systems,
/// score both on each draw, and take the percentile interval of the differences.
/// </summary>
public static class PairedBootstrap
{
    /// <summary>The difference <c>tuned - base</c> over the examples in <paramref name="population"/>, with its interval.</summary>
    public static DifferenceInterval Difference(IResampledMetric tuned, IResampledMetric baseline, IReadOnlyList<int> population, BootstrapOptions options)
    {
        options.Validate();
        var all = population.ToArray();
        double delta = tuned.Score(all) - baseline.Score(all);
        if (all.Length == 0) return new DifferenceInterval(delta, delta, delta);

        var random = new DeterministicRandom(options.Seed);
        var indices = new int[all.Length];
        var differences = new double[options.Samples];
        for (int s = 0; s < options.Samples; s++)
        {
            for (int i = 0; i < indices.Length; i++) indices[i] = all[random.NextInt(all.Length)];
            differences[s] = tuned.Score(indices) - baseline.Score(indices);
        }
        Array.Sort(differences);
        double tail = (1 - options.Confidence) / 2 * 100;
        return new DifferenceInterval(delta, Percentile.OfSorted(differences, tail), Percentile.OfSorted(differences, 100 - tail));
    }
}
