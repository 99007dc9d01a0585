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
        // Tokens become ids shared by both texts; a newline always separates tokens, so the whole text's
        // tokens are its lines' tokens in order and each line is tokenized once for both uses.
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var referenceLines = TokenizeLines(reference, vocabulary);
        var predictionLines = TokenizeLines(prediction, vocabulary);
        var referenceTokens = referenceLines.SelectMany(l => l.Tokens).ToArray();
        var predictionTokens = predictionLines.SelectMany(l => l.Tokens).ToArray();
        return new RougeScores(
            Overlap(referenceTokens, predictionTokens, 1),
            Overlap(referenceTokens, predictionTokens, 2),
            Lcs(referenceTokens, predictionTokens),
            SummaryLevelLcs(
                referenceLines.Where(l => l.HasText).Select(l => (IReadOnlyList<int>)l.Tokens).ToList(),
                predictionLines.Where(l => l.HasText).Select(l => (IReadOnlyList<int>)l.Tokens).ToList()));
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
    public static RougeScore Lcs<T>(IReadOnlyList<T> referenceTokens, IReadOnlyList<T> predictionTokens)
    {
        if (referenceTokens.Count == 0 || predictionTokens.Count == 0) return RougeScore.Zero;
        int lcs = LongestCommonSubsequence.Length(referenceTokens, predictionTokens);
        return RougeScore.FromPrecisionRecall(lcs / (double)predictionTokens.Count, lcs / (double)referenceTokens.Count);
    }

    /// <summary>ROUGE-Lsum: summary-level union LCS over newline-separated sentences, without double counting.</summary>
    public RougeScore Lsum(string reference, string prediction) => Score(reference, prediction).RougeLsum;

    private static RougeScore SummaryLevelLcs(List<IReadOnlyList<int>> referenceSentences, List<IReadOnlyList<int>> predictionSentences)
    {
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

    /// <summary>Clipped n-gram overlap (n = 1 or 2) on token ids, packed into one 64-bit key.</summary>
    private static RougeScore Overlap(int[] referenceTokens, int[] predictionTokens, int n)
    {
        var referenceNGrams = CountPacked(referenceTokens, n);
        var predictionNGrams = CountPacked(predictionTokens, n);
        int overlap = 0;
        foreach (var (ngram, count) in referenceNGrams)
            if (predictionNGrams.TryGetValue(ngram, out var predicted)) overlap += Math.Min(count, predicted);
        int referenceTotal = Math.Max(referenceTokens.Length - n + 1, 0), predictionTotal = Math.Max(predictionTokens.Length - n + 1, 0);
        return RougeScore.FromPrecisionRecall(
            overlap / (double)Math.Max(predictionTotal, 1),
            overlap / (double)Math.Max(referenceTotal, 1));
    }

    private static Dictionary<long, int> CountPacked(int[] tokens, int n)
    {
        var counts = new Dictionary<long, int>();
        for (int i = 0; i + n <= tokens.Length; i++)
        {
            long key = n == 1 ? tokens[i] : ((long)tokens[i] << 32) | (uint)tokens[i + 1];
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }

    private List<(int[] Tokens, bool HasText)> TokenizeLines(string text, Dictionary<string, int> vocabulary) =>
        text.Split('\n').Select(line => (Tokenizer.Tokenize(line).Select(t => Id(vocabulary, t)).ToArray(), line.Length > 0)).ToList();

    private static int Id(Dictionary<string, int> vocabulary, string token)
    {
        if (!vocabulary.TryGetValue(token, out var id)) vocabulary[token] = id = vocabulary.Count;
        return id;
    }

    private static Dictionary<int, int> CountTokens(IEnumerable<IReadOnlyList<int>> sentences)
    {
        var counts = new Dictionary<int, int>();
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
