using Tuneforge.Metrics.Bleu;
using Tuneforge.Metrics.Chrf;

namespace Tuneforge.Metrics.Statistics;

/// <summary>A metric that can be recomputed on any multiset of examples (given by index), for bootstrap resampling.</summary>
public interface IResampledMetric
{
    /// <summary>The score on the examples at <paramref name="indices"/> (repeats allowed).</summary>
    double Score(ReadOnlySpan<int> indices);
}

/// <summary>A metric that is the mean of per-example scores (ROUGE, exact match).</summary>
public sealed class MeanMetric(IReadOnlyList<double> perExample) : IResampledMetric
{
    public double Score(ReadOnlySpan<int> indices)
    {
        if (indices.Length == 0) return 0;
        double sum = 0;
        foreach (var i in indices) sum += perExample[i];
        return sum / indices.Length;
    }
}

/// <summary>0 on every draw: one system's interval is its difference from this.</summary>
public sealed class ZeroMetric : IResampledMetric
{
    public static ZeroMetric Instance { get; } = new();

    public double Score(ReadOnlySpan<int> indices) => 0;
}

/// <summary>Corpus BLEU recomputed from summed per-segment statistics, as sacreBLEU's bootstrap does.</summary>
public sealed class CorpusBleuMetric(BleuMetric metric, IReadOnlyList<BleuStatistics> segments) : IResampledMetric
{
    public double Score(ReadOnlySpan<int> indices)
    {
        int order = metric.Options.MaxNGramOrder;
        int hyp = 0, reference = 0;
        var correct = new int[order];
        var total = new int[order];
        foreach (var i in indices)
        {
            var s = segments[i];
            hyp += s.HypothesisLength;
            reference += s.ReferenceLength;
            for (int n = 0; n < order; n++)
            {
                correct[n] += s.Correct[n];
                total[n] += s.Total[n];
            }
        }
        return metric.Compute(new BleuStatistics(hyp, reference, correct, total)).Score;
    }
}

/// <summary>Corpus chrF recomputed from summed per-segment statistics.</summary>
public sealed class CorpusChrfMetric(ChrfMetric metric, IReadOnlyList<long[]> segments) : IResampledMetric
{
    public double Score(ReadOnlySpan<int> indices)
    {
        int width = 3 * (metric.Options.CharOrder + metric.Options.WordOrder);
        var sum = new long[width];
        foreach (var i in indices)
        {
            var s = segments[i];
            for (int k = 0; k < width; k++) sum[k] += s[k];
        }
        return metric.Score(sum);
    }
}
