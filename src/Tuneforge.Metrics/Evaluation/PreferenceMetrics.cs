using Tuneforge.Metrics.Statistics;

namespace Tuneforge.Metrics.Evaluation;

/// <summary>One model on held-out pairs: the share of pairs whose chosen answer it prefers (TRL's reward accuracy:
/// margin &gt; 0, a tie counts as wrong) and the mean margin, each with its bootstrap interval.</summary>
public sealed record PreferenceScores(double RewardAccuracy, DifferenceInterval AccuracyInterval, double MeanMargin, DifferenceInterval MarginInterval);

/// <summary>Tuned and base on the same pairs, and the paired tuned − base differences.</summary>
public sealed record PreferenceComparison(int Pairs, PreferenceScores Tuned, PreferenceScores Base, DifferenceInterval AccuracyDelta, DifferenceInterval MarginDelta);

/// <summary>Preference metrics from per-pair margins (chosen minus rejected: a log-probability difference, or an
/// implicit reward difference), the caller's choice of margin applied to both models alike.</summary>
public static class PreferenceMetrics
{
    public static PreferenceComparison Compare(IReadOnlyList<double> tunedMargins, IReadOnlyList<double> baseMargins, BootstrapOptions options)
    {
        if (tunedMargins.Count != baseMargins.Count)
            throw new ArgumentException($"tuned has {tunedMargins.Count} margins and base {baseMargins.Count}: both score the same pairs");
        var population = Enumerable.Range(0, tunedMargins.Count).ToList();
        var (tunedWins, baseWins) = (new MeanMetric(Wins(tunedMargins)), new MeanMetric(Wins(baseMargins)));
        var (tunedMargin, baseMargin) = (new MeanMetric(tunedMargins), new MeanMetric(baseMargins));
        return new PreferenceComparison(tunedMargins.Count,
            Scores(tunedWins, tunedMargin, population, options),
            Scores(baseWins, baseMargin, population, options),
            PairedBootstrap.Difference(tunedWins, baseWins, population, options),
            PairedBootstrap.Difference(tunedMargin, baseMargin, population, options));
    }

    static double[] Wins(IReadOnlyList<double> margins) => [.. margins.Select(m => m > 0 ? 1.0 : 0.0)];

    static PreferenceScores Scores(MeanMetric wins, MeanMetric margins, List<int> population, BootstrapOptions options)
    {
        var accuracy = PairedBootstrap.Difference(wins, ZeroMetric.Instance, population, options);
        var margin = PairedBootstrap.Difference(margins, ZeroMetric.Instance, population, options);
        return new PreferenceScores(accuracy.Delta, accuracy, margin.Delta, margin);
    }
}
