using Tuneforge.Metrics.Text;

namespace Tuneforge.Metrics.Rouge;

/// <summary>
/// ROUGE-N, ROUGE-L and ROUGE-Lsum between a reference (rouge_score's "target") and a prediction, computed as
/// Google's rouge_score computes them; <see cref="RougeTokenizer"/> decides what a token is.
/// </summary>
public sealed class RougeScorer(RougeTokenizer tokenizer)
{
    public RougeScorer(RougeTokenizerOptions options) : this(new RougeTokenizer(options)) { }

    public RougeTokenizer Tokenizer { get; } = tokenizer;

    /// <summary>ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum (sentences split on newlines) in one pass.</summary>
    public RougeScores Score(string reference, string prediction)
    {
        var referenceTokens = Tokenizer.Tokenize(reference);
        var predictionTokens = Tokenizer.Tokenize(prediction);
        return new RougeScores(
            NGram(referenceTokens, predictionTokens, 1),
            NGram(referenceTokens, predictionTokens, 2),
            Lcs(referenceTokens, predictionTokens),
            Lsum(reference, prediction));
    }

    /// <summary>ROUGE-N on already tokenized texts: clipped n-gram overlap.</summary>
    public static RougeScore NGram(IReadOnlyList<string> referenceTokens, IReadOnlyList<string> predictionTokens, int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "ROUGE-N needs a positive n.");
        var referenceNGrams = CountNGrams(referenceTokens, n);
        var predictionNGrams = CountNGrams(predictionTokens, n);
        int overlap = 0;
        foreach (var (ngram, count) in referenceNGrams)
            if (predictionNGrams.TryGetValue(ngram, out var predicted)) overlap += Math.Min(count, predicted);
        int referenceTotal = referenceNGrams.Values.Sum();
        int predictionTotal = predictionNGrams.Values.Sum();
        return RougeScore.FromPrecisionRecall(
            overlap / (double)Math.Max(predictionTotal, 1),
            overlap / (double)Math.Max(referenceTotal, 1));
    }

    /// <summary>ROUGE-L (rouge_score's rougeL): LCS length over prediction and reference lengths.</summary>
    public static RougeScore Lcs(IReadOnlyList<string> referenceTokens, IReadOnlyList<string> predictionTokens)
    {
        if (referenceTokens.Count == 0 || predictionTokens.Count == 0) return RougeScore.Zero;
        int lcs = LongestCommonSubsequence.Length(referenceTokens, predictionTokens);
        return RougeScore.FromPrecisionRecall(lcs / (double)predictionTokens.Count, lcs / (double)referenceTokens.Count);
    }

    /// <summary>ROUGE-Lsum: summary-level union LCS over newline-separated sentences, without double counting.</summary>
    public RougeScore Lsum(string reference, string prediction)
    {
        var referenceSentences = SplitSentences(reference).Select(s => (IReadOnlyList<string>)Tokenizer.Tokenize(s)).ToList();
        var predictionSentences = SplitSentences(prediction).Select(s => (IReadOnlyList<string>)Tokenizer.Tokenize(s)).ToList();
        int referenceLength = referenceSentences.Sum(s => s.Count);
        int predictionLength = predictionSentences.Sum(s => s.Count);
        if (referenceLength == 0 || predictionLength == 0) return RougeScore.Zero;

        var referenceCounts = CountTokens(referenceSentences);
        var predictionCounts = CountTokens(predictionSentences);
        int hits = 0;
        foreach (var sentence in referenceSentences)
        {
            foreach (var token in LongestCommonSubsequence.Union(sentence, predictionSentences))
            {
                if (predictionCounts.GetValueOrDefault(token) > 0 && referenceCounts.GetValueOrDefault(token) > 0)
                {
                    hits++;
                    predictionCounts[token]--;
                    referenceCounts[token]--;
                }
            }
        }
        return RougeScore.FromPrecisionRecall(hits / (double)predictionLength, hits / (double)referenceLength);
    }

    private static IEnumerable<string> SplitSentences(string text) =>
        text.Split('\n').Where(s => s.Length > 0);

    private static Dictionary<string, int> CountTokens(IEnumerable<IReadOnlyList<string>> sentences)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var sentence in sentences)
            foreach (var token in sentence)
                counts[token] = counts.GetValueOrDefault(token) + 1;
        return counts;
    }

    private static Dictionary<string, int> CountNGrams(IReadOnlyList<string> tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i + n <= tokens.Count; i++)
        {
            // Tokens never contain U+0001, so joining with it keys n-grams without ambiguity.
            var key = string.Join('\u0001', tokens.Skip(i).Take(n));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }
}
