using Tuneforge.Metrics.Text;

namespace Tuneforge.Metrics.Chrf;

/// <summary>
/// chrF and chrF++ (Popović 2015, 2017) as sacreBLEU 2.x computes them (its <c>CHRF</c> class). Statistics are
/// [hypothesis n-grams, reference n-grams, matches] per order; a corpus score is the score of the summed
/// statistics. With several references a segment keeps the statistics of the best-scoring one. Scale 0–100.
/// </summary>
public sealed class ChrfMetric(ChrfOptions options)
{
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    public ChrfMetric() : this(new ChrfOptions()) { }

    public ChrfOptions Options { get; } = options;

    private int Orders => Options.CharOrder + Options.WordOrder;

    /// <summary>Corpus chrF; <paramref name="references"/> holds, per hypothesis, its references.</summary>
    public double CorpusScore(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> references)
    {
        if (hypotheses.Count != references.Count)
            throw new ArgumentException($"{hypotheses.Count} hypotheses but {references.Count} reference sets: they must pair up one to one.");
        var sum = new long[3 * Orders];
        for (int i = 0; i < hypotheses.Count; i++)
        {
            var segment = SegmentStatistics(hypotheses[i], references[i]);
            for (int k = 0; k < sum.Length; k++) sum[k] += segment[k];
        }
        return Score(sum);
    }

    /// <summary>Sentence chrF of one hypothesis against its references.</summary>
    public double SentenceScore(string hypothesis, IReadOnlyList<string> references) =>
        Score(SegmentStatistics(hypothesis, references));

    /// <summary>Per-order [hypothesis, reference, match] counts, flattened, for the best reference.</summary>
    public long[] SegmentStatistics(string hypothesis, IReadOnlyList<string> references)
    {
        if (references.Count == 0) throw new ArgumentException("a hypothesis needs at least one reference.");
        var hypothesisNGrams = ExtractNGrams(Preprocess(hypothesis));
        long[]? best = null;
        double bestScore = -1;
        foreach (var reference in references)
        {
            var referenceNGrams = ExtractNGrams(Preprocess(reference));
            var statistics = new long[3 * Orders];
            for (int order = 0; order < Orders; order++)
            {
                var (hyp, refCount, match) = MatchStatistics(hypothesisNGrams[order], referenceNGrams[order]);
                statistics[3 * order] = hyp;
                statistics[3 * order + 1] = refCount;
                statistics[3 * order + 2] = match;
            }
            double score = Score(statistics);
            if (score > bestScore)
            {
                bestScore = score;
                best = statistics;
            }
        }
        return best!;
    }

    /// <summary>sacreBLEU's <c>_compute_f_score</c> on (summed) statistics.</summary>
    public double Score(IReadOnlyList<long> statistics)
    {
        const double eps = 1e-16;
        double factor = Options.Beta * Options.Beta;
        double epsScore = 0, averagePrecision = 0, averageRecall = 0;
        int effectiveOrder = 0;
        for (int i = 0; i < Orders; i++)
        {
            long hyp = statistics[3 * i], reference = statistics[3 * i + 1], match = statistics[3 * i + 2];
            double precision = hyp > 0 ? match / (double)hyp : eps;
            double recall = reference > 0 ? match / (double)reference : eps;
            double denominator = factor * precision + recall;
            epsScore += denominator > 0 ? (1 + factor) * precision * recall / denominator : eps;
            if (hyp > 0 && reference > 0)
            {
                averagePrecision += precision;
                averageRecall += recall;
                effectiveOrder++;
            }
        }
        if (Options.EpsSmoothing) return 100 * epsScore / Orders;
        if (effectiveOrder == 0) return 0.0;
        averagePrecision /= effectiveOrder;
        averageRecall /= effectiveOrder;
        if (averagePrecision + averageRecall == 0) return 0.0;
        return 100 * (1 + factor) * averagePrecision * averageRecall / (factor * averagePrecision + averageRecall);
    }

    private string Preprocess(string segment) => Options.Lowercase ? PythonText.Lower(segment) : segment;

    private List<Dictionary<string, int>> ExtractNGrams(string text)
    {
        var ngrams = new List<Dictionary<string, int>>();
        var characters = Options.Whitespace ? text : string.Concat(PythonText.SplitOnWhitespace(text));
        // Start offset of each code point, so that an n-gram of n code points is one substring.
        var starts = new List<int>(characters.Length + 1);
        for (int i = 0; i < characters.Length; i += char.IsSurrogatePair(characters, i) ? 2 : 1) starts.Add(i);
        starts.Add(characters.Length);
        int codePoints = starts.Count - 1;
        for (int n = 1; n <= Options.CharOrder; n++)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i + n <= codePoints; i++)
            {
                var key = characters.Substring(starts[i], starts[i + n] - starts[i]);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
            ngrams.Add(counts);
        }
        if (Options.WordOrder > 0)
        {
            var words = SeparatePunctuation(text);
            for (int n = 1; n <= Options.WordOrder; n++)
            {
                var counts = new Dictionary<string, int>(StringComparer.Ordinal);
                for (int i = 0; i + n <= words.Count; i++)
                {
                    // Words hold no white space, so a space-joined key is unambiguous (as in sacreBLEU).
                    var key = string.Join(' ', words.Skip(i).Take(n));
                    counts[key] = counts.GetValueOrDefault(key) + 1;
                }
                ngrams.Add(counts);
            }
        }
        return ngrams;
    }

    /// <summary>chrF++'s word split: one leading or trailing ASCII punctuation mark becomes its own word.</summary>
    private static List<string> SeparatePunctuation(string sentence)
    {
        var words = new List<string>();
        foreach (var word in PythonText.SplitOnWhitespace(sentence))
        {
            if (PythonText.CodePointCount(word) == 1) words.Add(word);
            else if (Punctuation.Contains(word[^1])) { words.Add(word[..^1]); words.Add(word[^1..]); }
            else if (Punctuation.Contains(word[0])) { words.Add(word[..1]); words.Add(word[1..]); }
            else words.Add(word);
        }
        return words;
    }

    private static (long Hypothesis, long Reference, long Match) MatchStatistics(
        Dictionary<string, int> hypothesis, Dictionary<string, int> reference)
    {
        long match = 0, hypCount = 0;
        foreach (var (ngram, count) in hypothesis)
        {
            hypCount += count;
            if (reference.TryGetValue(ngram, out var referenceCount)) match += Math.Min(count, referenceCount);
        }
        // sacreBLEU does not count hypothesis n-grams of an order the reference lacks entirely.
        return (reference.Count > 0 ? hypCount : 0, reference.Values.Sum(), match);
    }
}
