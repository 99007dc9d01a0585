using Tuneforge.Metrics.Bleu;
using Tuneforge.Metrics.Chrf;
using Tuneforge.Metrics.Gates;
using Tuneforge.Metrics.Matching;
using Tuneforge.Metrics.Predictions;
using Tuneforge.Metrics.Reporting;
using Tuneforge.Metrics.Rouge;
using Tuneforge.Metrics.Statistics;
using Tuneforge.Metrics.Text;

namespace Tuneforge.Metrics.Evaluation;

/// <summary>Scores prediction records into a <see cref="MetricsReport"/>: every metric overall and per category,
/// base versus tuned with paired-bootstrap intervals, answer lengths, and the quality gates.</summary>
public sealed class Scorer(ScoringOptions options)
{
    /// <summary>The source group of records whose line names none, beside records that do.</summary>
    public const string NoSource = "(unknown)";

    private static readonly string[] ResampledMetrics = ["rouge1", "rouge2", "rougeL", "rougeLsum", "bleu", "chrf", "chrf_pp", "exact_match"];

    public ScoringOptions Options { get; } = options;

    /// <summary>Scores <paramref name="records"/>; <paramref name="source"/> names the file they came from.</summary>
    public MetricsReport Score(IReadOnlyList<PredictionRecord> records, ScoredSource source)
    {
        if (records.Count == 0) throw new ArgumentException("no predictions to score", nameof(records));
        // Parse gates first: a typo in a gate should fail before any work is done.
        var gates = Options.Gates is null ? null : GateParser.ParseAll(Options.Gates);
        Options.Bootstrap.Validate();

        var bleuKind = Options.BleuTokenizer ?? (records.Any(r => CjkCharacters.ContainsCjk(r.Reference)) ? BleuTokenizerKind.Zh : BleuTokenizerKind.Thirteen13a);
        var context = new ScoringContext(
            new RougeScorer(new RougeTokenizerOptions(Options.RougeStemmer, Options.CjkCharactersAsTokens)),
            new BleuMetric(new BleuOptions { Tokenizer = bleuKind }),
            new BleuMetric(new BleuOptions { Tokenizer = bleuKind, EffectiveOrder = true }),
            new ChrfMetric(new ChrfOptions()),
            new ChrfMetric(ChrfOptions.ChrfPlusPlus));

        bool hasBase = records[0].BasePrediction is not null;
        var referenceChars = records.Select(r => (double)PythonText.CodePointCount(r.Reference)).ToArray();
        var referenceTokens = records.Select(r => (double)context.Rouge.Tokenizer.Tokenize(r.Reference).Count).ToArray();
        var tuned = ScoreSystem(context, records, r => r.Prediction, r => r.CompletionTokens ?? 0);
        var baseline = hasBase ? ScoreSystem(context, records, r => r.BasePrediction!, r => r.BaseCompletionTokens ?? 0) : null;
        bool hasTokenCounts = records.All(r => r.CompletionTokens is not null);
        bool hasBaseTokenCounts = hasBase && records.All(r => r.BaseCompletionTokens is not null);

        GroupReport Group(string? category, IReadOnlyList<int> indices, string? source = null)
        {
            // The engine measures perplexity overall and per category, not per source.
            var perplexity = source is null ? Options.Perplexity : null;
            double? tunedPerplexity = category is null ? perplexity?.Tuned : ForCategory(perplexity?.TunedByCategory, category);
            double? basePerplexity = category is null ? perplexity?.Base : ForCategory(perplexity?.BaseByCategory, category);
            // General text is measured once, for all examples.
            var general = category is null && source is null ? perplexity : null;
            var tunedSet = Aggregate(context, tuned, indices, tunedPerplexity) with { GeneralPerplexity = general?.GeneralTuned };
            var baseSet = baseline is null ? null : Aggregate(context, baseline, indices, basePerplexity) with { GeneralPerplexity = general?.GeneralBase };
            var deltas = baseline is null ? null : Deltas(context, tuned, baseline, tunedSet, baseSet!, indices);
            var lengths = new LengthStatistics(
                Summary(referenceChars, indices), Summary(referenceTokens, indices),
                Summary(tuned.Chars, indices), Summary(tuned.Tokens, indices), hasTokenCounts ? Summary(tuned.CompletionTokens, indices) : null,
                baseline is null ? null : Summary(baseline.Chars, indices),
                baseline is null ? null : Summary(baseline.Tokens, indices),
                hasBaseTokenCounts ? Summary(baseline!.CompletionTokens, indices) : null);
            return new GroupReport(category, indices.Count, tunedSet, baseSet, deltas, lengths) { Source = source };
        }

        var overall = Group(null, Enumerable.Range(0, records.Count).ToArray());
        var categories = records.Select((r, i) => (r.Category, i))
            .GroupBy(x => x.Category, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Group(g.Key, g.Select(x => x.i).ToArray()))
            .ToList();

        var bySource = records.Select((r, i) => (Source: r.Source ?? NoSource, i)).GroupBy(x => x.Source, StringComparer.Ordinal).ToList();
        var sources = bySource.Count < 2 ? null : bySource.OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Group(null, g.Select(x => x.i).ToArray(), g.Key)).ToList();

        var examples = records.Select((r, i) => new ExampleScores(r.Id, r.Category, Example(context, tuned, i), baseline is null ? null : Example(context, baseline, i))).ToList();
        var settings = new ScoringSettings(
            Options.CjkCharactersAsTokens ? "rouge_score, CJK letters as tokens" : "rouge_score",
            Options.RougeStemmer,
            context.Bleu.Options.Signature(1),
            context.Chrf.Options.Signature(1),
            context.ChrfPlusPlus.Options.Signature(1),
            "NFKC, trimmed, white space collapsed, case-sensitive",
            new BootstrapSettings(Options.Bootstrap.Samples, Options.Bootstrap.Seed, Options.Bootstrap.Confidence));
        var gateReport = gates is null ? null : GateEvaluator.Evaluate(gates.Gates, overall, Comparisons());
        return new MetricsReport(MetricsReport.CurrentSchema, source, settings, overall, categories, gateReport, examples) { Sources = sources, Judge = Options.Judge };
    }

    // The comparison metrics measured outside scoring, by gate name.
    private Dictionary<string, DifferenceInterval> Comparisons()
    {
        var comparisons = new Dictionary<string, DifferenceInterval>();
        if (Options.Judge is { WinRate: { } rate, WinRateInterval: [var low, var high] })
            comparisons[JudgeScores.WinRateGate] = new DifferenceInterval(rate, low, high);
        return comparisons;
    }

    private static double? ForCategory(IReadOnlyDictionary<string, double>? values, string category) =>
        values is not null && values.TryGetValue(category, out var value) ? value : null;

    private static SystemScores ScoreSystem(ScoringContext context, IReadOnlyList<PredictionRecord> records,
        Func<PredictionRecord, string> answer, Func<PredictionRecord, int> completionTokens)
    {
        int n = records.Count;
        var scores = new SystemScores
        {
            Rouge = new RougeScores[n], Bleu = new BleuStatistics[n], Chrf = new long[n][], ChrfPlusPlus = new long[n][],
            ExactMatch = new double[n], Chars = new double[n], Tokens = new double[n], CompletionTokens = new double[n],
        };
        for (int i = 0; i < n; i++)
        {
            var record = records[i];
            var text = answer(record);
            string?[] references = [record.Reference];
            scores.Rouge[i] = context.Rouge.Score(record.Reference, text);
            scores.Bleu[i] = context.Bleu.SegmentStatistics(text, references);
            scores.Chrf[i] = context.Chrf.SegmentStatistics(text, [record.Reference]);
            scores.ChrfPlusPlus[i] = context.ChrfPlusPlus.SegmentStatistics(text, [record.Reference]);
            scores.ExactMatch[i] = ExactMatch.Score(record.Reference, text);
            scores.Chars[i] = PythonText.CodePointCount(text);
            scores.Tokens[i] = context.Rouge.Tokenizer.Tokenize(text).Count;
            scores.CompletionTokens[i] = completionTokens(record);
        }
        return scores;
    }

    private static MetricSet Aggregate(ScoringContext context, SystemScores scores, IReadOnlyList<int> indices, double? perplexity)
    {
        PrfScore Mean(Func<RougeScores, RougeScore> variant) => new(
            indices.Average(i => variant(scores.Rouge[i]).Precision),
            indices.Average(i => variant(scores.Rouge[i]).Recall),
            indices.Average(i => variant(scores.Rouge[i]).F1));

        var bleu = context.Bleu.Compute(BleuStatistics.Sum(indices.Select(i => scores.Bleu[i]), context.Bleu.Options.MaxNGramOrder));
        return new MetricSet(
            Mean(r => r.Rouge1), Mean(r => r.Rouge2), Mean(r => r.RougeL), Mean(r => r.RougeLsum),
            bleu.Score,
            new CorpusChrfMetric(context.Chrf, scores.Chrf).Score(indices.ToArray()),
            new CorpusChrfMetric(context.ChrfPlusPlus, scores.ChrfPlusPlus).Score(indices.ToArray()),
            indices.Average(i => scores.ExactMatch[i]),
            perplexity,
            new BleuDetail(bleu.Score, bleu.Precisions, bleu.Counts, bleu.Totals, bleu.BrevityPenalty, bleu.Ratio,
                bleu.HypothesisLength, bleu.ReferenceLength));
    }

    private List<MetricDelta> Deltas(ScoringContext context, SystemScores tuned, SystemScores baseline,
        MetricSet tunedSet, MetricSet baseSet, IReadOnlyList<int> indices)
    {
        var deltas = new List<MetricDelta>();
        foreach (var metric in ResampledMetrics)
        {
            var interval = PairedBootstrap.Difference(Resampled(context, tuned, metric), Resampled(context, baseline, metric), indices, Options.Bootstrap);
            double tunedValue = MetricCatalog.Value(tunedSet, metric)!.Value, baseValue = MetricCatalog.Value(baseSet, metric)!.Value;
            deltas.Add(new MetricDelta(metric, baseValue, tunedValue, tunedValue - baseValue, interval.Low, interval.High));
        }
        if (tunedSet.Perplexity is { } tp && baseSet.Perplexity is { } bp)
            deltas.Add(new MetricDelta("perplexity", bp, tp, tp - bp, null, null));
        if (tunedSet.GeneralPerplexity is { } tg && baseSet.GeneralPerplexity is { } bg)
            deltas.Add(new MetricDelta("general_perplexity", bg, tg, tg - bg, null, null));
        return deltas;
    }

    private static IResampledMetric Resampled(ScoringContext context, SystemScores scores, string metric) => metric switch
    {
        "rouge1" => new MeanMetric(scores.Select(r => r.Rouge1.F1)),
        "rouge2" => new MeanMetric(scores.Select(r => r.Rouge2.F1)),
        "rougeL" => new MeanMetric(scores.Select(r => r.RougeL.F1)),
        "rougeLsum" => new MeanMetric(scores.Select(r => r.RougeLsum.F1)),
        "bleu" => new CorpusBleuMetric(context.Bleu, scores.Bleu),
        "chrf" => new CorpusChrfMetric(context.Chrf, scores.Chrf),
        "chrf_pp" => new CorpusChrfMetric(context.ChrfPlusPlus, scores.ChrfPlusPlus),
        "exact_match" => new MeanMetric(scores.ExactMatch),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
    };

    private static ExampleMetrics Example(ScoringContext context, SystemScores scores, int i) => new(
        scores.Rouge[i].Rouge1.F1, scores.Rouge[i].Rouge2.F1, scores.Rouge[i].RougeL.F1, scores.Rouge[i].RougeLsum.F1,
        context.SentenceBleu.Compute(scores.Bleu[i]).Score, context.Chrf.Score(scores.Chrf[i]),
        scores.ExactMatch[i], (int)scores.Chars[i], (int)scores.Tokens[i]);

    private static DistributionSummary Summary(double[] values, IReadOnlyList<int> indices) =>
        DistributionSummary.Of(indices.Select(i => values[i]).ToArray());

    private sealed record ScoringContext(RougeScorer Rouge, BleuMetric Bleu, BleuMetric SentenceBleu, ChrfMetric Chrf, ChrfMetric ChrfPlusPlus);
}
