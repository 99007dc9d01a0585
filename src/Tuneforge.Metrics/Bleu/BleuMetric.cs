using Tuneforge.Metrics.Text;

namespace Tuneforge.Metrics.Bleu;

/// <summary>
/// Corpus and sentence BLEU as sacreBLEU 2.x computes them (its <c>BLEU</c> class): same tokenizers, n-gram
/// clipping against the maximum count over references, closest reference length (ties to the shorter),
/// brevity penalty, smoothing and effective order. Scores are on the 0–100 scale.
/// </summary>
public sealed class BleuMetric(BleuOptions options)
{
    public BleuMetric() : this(new BleuOptions()) { }

    public BleuOptions Options { get; } = options;

    /// <summary>Corpus BLEU; <paramref name="references"/> holds, per hypothesis, its references (null entries are skipped).</summary>
    public BleuScore CorpusScore(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string?>> references)
    {
        if (hypotheses.Count != references.Count)
            throw new ArgumentException($"{hypotheses.Count} hypotheses but {references.Count} reference sets: they must pair up one to one.");
        var segments = hypotheses.Select((h, i) => SegmentStatistics(h, references[i]));
        return Compute(BleuStatistics.Sum(segments, Options.MaxNGramOrder));
    }

    /// <summary>Sentence BLEU of one hypothesis against its references.</summary>
    public BleuScore SentenceScore(string hypothesis, IReadOnlyList<string?> references) =>
        Compute(SegmentStatistics(hypothesis, references));

    /// <summary>The statistics of one segment, to sum over a corpus or a bootstrap sample.</summary>
    public BleuStatistics SegmentStatistics(string hypothesis, IReadOnlyList<string?> references)
    {
        int maxOrder = Options.MaxNGramOrder;
        Dictionary<NGram, int>? referenceNGrams = null;
        var referenceLengths = new List<int>();
        foreach (var reference in references)
        {
            if (reference is null) continue;
            var tokens = Preprocess(reference);
            referenceLengths.Add(tokens.Count);
            var counts = NGram.CountAll(tokens, 1, maxOrder);
            if (referenceNGrams is null) { referenceNGrams = counts; continue; }
            foreach (var (ngram, count) in counts)
                referenceNGrams[ngram] = Math.Max(referenceNGrams.GetValueOrDefault(ngram), count);
        }
        if (referenceNGrams is null) throw new ArgumentException("a hypothesis needs at least one reference that is not null.");

        var hypothesisTokens = Preprocess(hypothesis);
        var correct = new int[maxOrder];
        var total = new int[maxOrder];
        foreach (var (ngram, count) in NGram.CountAll(hypothesisTokens, 1, maxOrder))
        {
            total[ngram.Length - 1] += count;
            if (referenceNGrams.TryGetValue(ngram, out var referenceCount))
                correct[ngram.Length - 1] += Math.Min(count, referenceCount);
        }
        return new BleuStatistics(hypothesisTokens.Count, ClosestReferenceLength(hypothesisTokens.Count, referenceLengths), correct, total);
    }

    /// <summary>BLEU from (summed) statistics, with this metric's smoothing and effective order.</summary>
    public BleuScore Compute(BleuStatistics statistics) =>
        Compute(statistics, Options.Smoothing, Options.SmoothValue, Options.EffectiveOrder, Options.MaxNGramOrder);

    /// <summary>sacreBLEU's <c>compute_bleu</c>: brevity penalty times the geometric mean of (smoothed) precisions.</summary>
    public static BleuScore Compute(BleuStatistics statistics, BleuSmoothing smoothing, double? smoothValue, bool effectiveOrder, int maxOrder)
    {
        double value = smoothValue ?? (smoothing == BleuSmoothing.AddK ? 1.0 : 0.1);
        int sysLen = statistics.HypothesisLength, refLen = statistics.ReferenceLength;
        double brevityPenalty = sysLen < refLen ? (sysLen > 0 ? Math.Exp(1 - refLen / (double)sysLen) : 0.0) : 1.0;
        var precisions = new double[maxOrder];
        var counts = statistics.Correct.ToArray();
        var totals = statistics.Total.ToArray();

        // No matching n-gram at all scores 0 whatever the smoothing (sacreBLEU #141).
        if (counts.All(c => c == 0))
            return new BleuScore(0.0, counts, totals, precisions, brevityPenalty, sysLen, refLen);

        double mtevalSmoothing = 1.0;
        int usedOrder = maxOrder;
        for (int n = 1; n <= maxOrder; n++)
        {
            double correct = counts[n - 1], total = totals[n - 1];
            if (smoothing == BleuSmoothing.AddK && n > 1)
            {
                correct += value;
                total += value;
            }
            if (total == 0) break;
            if (effectiveOrder) usedOrder = n;
            if (correct == 0)
            {
                if (smoothing == BleuSmoothing.Exp)
                {
                    mtevalSmoothing *= 2;
                    precisions[n - 1] = 100.0 / (mtevalSmoothing * total);
                }
                else if (smoothing == BleuSmoothing.Floor)
                {
                    precisions[n - 1] = 100.0 * value / total;
                }
            }
            else
            {
                precisions[n - 1] = 100.0 * correct / total;
            }
        }

        double logSum = 0;
        for (int n = 0; n < usedOrder; n++) logSum += FlooredLog(precisions[n]);
        return new BleuScore(brevityPenalty * Math.Exp(logSum / usedOrder), counts, totals, precisions, brevityPenalty, sysLen, refLen);
    }

    private List<string> Preprocess(string segment)
    {
        var text = Options.Lowercase ? PythonText.Lower(segment) : segment;
        return PythonText.SplitOnWhitespace(BleuTokenizer.Tokenize(PythonText.RStrip(text), Options.Tokenizer));
    }

    private static int ClosestReferenceLength(int hypothesisLength, List<int> referenceLengths)
    {
        int closestDiff = -1, closestLength = -1;
        foreach (var length in referenceLengths)
        {
            int diff = Math.Abs(hypothesisLength - length);
            if (closestDiff == -1 || diff < closestDiff)
            {
                closestDiff = diff;
                closestLength = length;
            }
            else if (diff == closestDiff && length < closestLength)
            {
                closestLength = length;
            }
        }
        return closestLength;
    }

    // sacreBLEU's my_log: log(0) is floored to -9999999999 so a zero precision zeroes the score.
    private static double FlooredLog(double x) => x == 0.0 ? -9999999999 : Math.Log(x);
}
