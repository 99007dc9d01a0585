using Tuneforge.Metrics.Gates;
using Tuneforge.Metrics.Reporting;

namespace Tuneforge.Metrics.Tests.Evaluation;

public class ScoringTests
{
    private static readonly string SmallFile = TestFiles.Path("scoring", "small.jsonl");

    private static MetricsReport Score(ScoringOptions? options = null) =>
        Scoring.ScoreFile(SmallFile, options ?? new ScoringOptions());

    [Fact]
    public void RougeL_is_the_mean_of_per_example_scores_counted_by_hand()
    {
        // en: 1, 4/5, F(3/4, 1); zh (per character): 1, F(7/10, 1), 4/6.
        static double F(double p, double r) => 2 * p * r / (p + r);
        double expected = (1 + 0.8 + F(0.75, 1) + 1 + F(0.7, 1) + 4.0 / 6) / 6;
        var report = Score();
        Assert.Equal(expected, report.Overall.Tuned.RougeL.F1, 12);
        Assert.Equal([1, 0.8, F(0.75, 1), 1, F(0.7, 1), 4.0 / 6], report.Examples.Select(e => Math.Round(e.Tuned.RougeL, 12)).Select(v => v).ToArray(),
            new RoundedComparer());
    }

    // Corpus values computed with sacreBLEU 2.6.0 (mjpost/sacrebleu@f615c72) on small.jsonl:
    // BLEU(tokenize='zh'), CHRF(), CHRF(word_order=2).corpus_score for prediction and base_prediction.
    [Fact]
    public void Corpus_bleu_and_chrf_match_sacrebleu_with_the_zh_tokenizer_picked_for_chinese()
    {
        var report = Score();
        Assert.Equal("nrefs:1|case:mixed|eff:no|tok:zh|smooth:exp", report.Settings.Bleu);
        Assert.Equal(69.44407179187216, report.Overall.Tuned.Bleu, 9);
        Assert.Equal(82.14391867486002, report.Overall.Tuned.Chrf, 9);
        Assert.Equal(82.71056442200273, report.Overall.Tuned.ChrfPlusPlus, 9);
        Assert.Equal(3.749566120585057, report.Overall.Base!.Bleu, 9);
        Assert.Equal(17.555945950161423, report.Overall.Base.Chrf, 9);
        Assert.Equal(65.01261942475699, report.Categories.Single(c => c.Category == "qa-zh").Tuned.Bleu, 9);
    }

    [Fact]
    public void Categories_deltas_lengths_and_perplexity_are_reported()
    {
        var report = Score(new ScoringOptions { Perplexity = new(Tuned: 3.2, Base: 9.5, TunedByCategory: new Dictionary<string, double> { ["qa-zh"] = 4.0 }) });
        Assert.Equal(["qa-en", "qa-zh"], report.Categories.Select(c => c.Category));
        Assert.All(report.Categories, c => Assert.Equal(3, c.Count));
        Assert.Equal(6, report.Source.Examples);
        Assert.True(report.Source.HasBase);

        var rougeL = report.Overall.Deltas!.Single(d => d.Metric == "rougeL");
        Assert.Equal(report.Overall.Tuned.RougeL.F1 - report.Overall.Base!.RougeL.F1, rougeL.Delta, 12);
        Assert.True(rougeL.CiLow > 0 && rougeL.CiLow <= rougeL.Delta && rougeL.Delta <= rougeL.CiHigh);
        Assert.Equal(["rouge1", "rouge2", "rougeL", "rougeLsum", "bleu", "chrf", "chrf_pp", "exact_match", "perplexity"],
            report.Overall.Deltas!.Select(d => d.Metric));
        var perplexity = report.Overall.Deltas!.Last();
        Assert.Equal((-6.3, (double?)null), (Math.Round(perplexity.Delta, 9), perplexity.CiLow));
        Assert.Equal(4.0, report.Categories[1].Tuned.Perplexity);
        Assert.Null(report.Categories[0].Tuned.Perplexity);

        Assert.Equal(41.0 / 6, report.Overall.Lengths.PredictionCompletionTokens.Mean, 12);
        Assert.Equal(2.0 / 6, report.Overall.Tuned.ExactMatch, 12);
        Assert.Equal(0.0, report.Overall.Base.ExactMatch);
    }

    [Fact]
    public void Gates_given_in_the_options_are_evaluated_into_the_report()
    {
        var report = Score(new ScoringOptions
        {
            Gates = new Dictionary<string, string> { ["rougeL"] = ">= 0.30", ["bleu_vs_base"] = "> 0", ["exact_match"] = ">= 0.9" },
        });
        Assert.Equal([true, true, false], report.Gates!.Results.Select(r => r.Passed));
        Assert.False(report.Gates.Passed);
    }

    [Fact]
    public void A_bad_gate_fails_before_scoring()
    {
        var error = Assert.Throws<GateSpecException>(() => Score(new ScoringOptions { Gates = new Dictionary<string, string> { ["rouge_l"] = "> 0" } }));
        Assert.StartsWith("gate \"rouge_l\": unknown metric \"rouge_l\"; did you mean \"rougeL\"?", error.Message);
    }

    [Fact]
    public void Metrics_json_is_byte_identical_across_runs_and_keeps_its_key_order()
    {
        var first = MetricsReportJson.Serialize(Score());
        var second = MetricsReportJson.Serialize(Score());
        Assert.Equal(first, second);
        string[] keys = ["\"schema\"", "\"source\"", "\"settings\"", "\"overall\"", "\"categories\"", "\"gates\"", "\"examples\""];
        var positions = keys.Select(k => first.IndexOf("\n  " + k, StringComparison.Ordinal)).ToArray();
        Assert.All(positions, p => Assert.True(p > 0));
        Assert.Equal(positions.Order(), positions);
        Assert.Contains("\"category\": \"qa-zh\"", first);
        Assert.DoesNotContain("\r", first);
    }

    [Fact]
    public void Metrics_json_round_trips_through_write_and_read()
    {
        var directory = Directory.CreateTempSubdirectory("tuneforge-metrics-").FullName;
        try
        {
            var path = Path.Combine(directory, "metrics.json");
            var report = Score();
            MetricsReportJson.Write(path, report);
            var read = MetricsReportJson.Read(path);
            Assert.Equal(MetricsReportJson.Serialize(report), MetricsReportJson.Serialize(read));
            Assert.Equal(["metrics.json"], Directory.GetFiles(directory).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Without_cjk_tokens_chinese_rouge_collapses_to_zero_as_in_rouge_score()
    {
        var report = Score(new ScoringOptions { CjkCharactersAsTokens = false });
        // Only the ASCII "LoRA" of zh-2 survives rouge_score's tokenizer: 1 for that example, 0 for the other two.
        Assert.Equal(1.0 / 3, report.Categories.Single(c => c.Category == "qa-zh").Tuned.RougeL.F1, 12);
        Assert.Equal("rouge_score", report.Settings.RougeTokenizer);
    }

    private sealed class RoundedComparer : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-9;
        public int GetHashCode(double obj) => 0;
    }
}
