namespace Tuneforge.Metrics.Bleu;

/// <summary>
/// BLEU's sufficient statistics for one segment or, summed, a corpus: hypothesis length, closest reference
/// length, and matched / total n-grams per order. Corpus BLEU is BLEU of the summed statistics.
/// </summary>
public sealed record BleuStatistics(int HypothesisLength, int ReferenceLength, int[] Correct, int[] Total)
{
    /// <summary>All-zero statistics for n-grams up to <paramref name="maxOrder"/>.</summary>
    public static BleuStatistics Empty(int maxOrder) => new(0, 0, new int[maxOrder], new int[maxOrder]);

    /// <summary>The element-wise sum of segment statistics.</summary>
    public static BleuStatistics Sum(IEnumerable<BleuStatistics> segments, int maxOrder)
    {
        int hyp = 0, reference = 0;
        var correct = new int[maxOrder];
        var total = new int[maxOrder];
        foreach (var s in segments)
        {
            hyp += s.HypothesisLength;
            reference += s.ReferenceLength;
            for (int n = 0; n < maxOrder; n++)
            {
                correct[n] += s.Correct[n];
                total[n] += s.Total[n];
            }
        }
        return new BleuStatistics(hyp, reference, correct, total);
    }
}
