using Tuneforge.Metrics.Gates;
using Tuneforge.Metrics.Reporting;
using Tuneforge.Metrics.Statistics;

namespace Tuneforge.Metrics.Tests.Gates;

public class GateTests
{
    [Theory]
    [InlineData("rougeL", ">= 0.30", "rougeL", false, GateOperator.GreaterOrEqual, 0.30)]
    [InlineData("rougeL_vs_base", "> 0", "rougeL", true, GateOperator.Greater, 0.0)]
    [InlineData("perplexity", "<= 2.5", "perplexity", false, GateOperator.LessOrEqual, 2.5)]
    [InlineData("bleu", "  >=12  ", "bleu", false, GateOperator.GreaterOrEqual, 12.0)]
    [InlineData("exact_match", "< .5", "exact_match", false, GateOperator.Less, 0.5)]
    [InlineData("perplexity_vs_base", "<= -1e-1", "perplexity", true, GateOperator.LessOrEqual, -0.1)]
    [InlineData("chrf", "!= 0", "chrf", false, GateOperator.NotEqual, 0.0)]
    public void Parses_operator_threshold_and_metric(string name, string expression, string metric, bool versusBase, GateOperator op, double threshold)
    {
        var gate = GateParser.Parse(name, expression);
        Assert.Equal((metric, versusBase, op, threshold), (gate.Metric, gate.VersusBase, gate.Operator, gate.Threshold));
    }

    [Fact]
    public void Unknown_metric_suggests_the_closest_name()
    {
        var error = Assert.Throws<GateSpecException>(() => GateParser.Parse("rougel", ">= 0.3"));
        Assert.Equal(
            "gate \"rougel\": unknown metric \"rougel\"; did you mean \"rougeL\"? Known gates: rouge1, rouge2, rougeL, rougeLsum, bleu, chrf, chrf_pp, exact_match, perplexity, general_perplexity, " +
            "each also as <name>_vs_base (tuned minus base), and forgetting_ppl_ratio (general_perplexity, tuned ÷ base), " +
            "judge_win_rate (LLM judge: tuned's win rate over base)",
            error.Message);
    }

    [Fact]
    public void Unknown_vs_base_gate_suggests_the_vs_base_name()
    {
        var error = Assert.Throws<GateSpecException>(() => GateParser.Parse("blue_vs_base", "> 0"));
        Assert.StartsWith("gate \"blue_vs_base\": unknown metric \"blue\"; did you mean \"bleu_vs_base\"? Known gates:", error.Message);
    }

    [Fact]
    public void Unrelated_name_gets_no_suggestion()
    {
        var error = Assert.Throws<GateSpecException>(() => GateParser.Parse("accuracy", "> 0"));
        Assert.StartsWith("gate \"accuracy\": unknown metric \"accuracy\". Known gates: rouge1,", error.Message);
    }

    [Theory]
    [InlineData("0.3")]
    [InlineData(">= abc")]
    [InlineData("=> 0.3")]
    [InlineData(">= 0.3 and < 1")]
    [InlineData("")]
    public void Unreadable_condition_says_what_to_write(string expression)
    {
        var error = Assert.Throws<GateSpecException>(() => GateParser.Parse("rougeL", expression));
        Assert.Equal($"gate \"rougeL\": cannot read \"{expression}\": write an operator and a number, e.g. \">= 0.30\" (operators: >=, >, <=, <, ==, !=)", error.Message);
    }

    [Fact]
    public void All_problems_are_reported_together_and_scale_slips_warned()
    {
        var error = Assert.Throws<GateSpecException>(() => GateParser.ParseAll(new Dictionary<string, string>
        {
            ["rougeL"] = ">= 0.3", ["bleu"] = "high", ["chrF"] = "> 40",
        }));
        Assert.Equal(2, error.Problems.Count);
        Assert.StartsWith("gate \"bleu\": cannot read \"high\"", error.Problems[0]);
        Assert.StartsWith("gate \"chrF\": unknown metric \"chrF\"; did you mean \"chrf\"?", error.Problems[1]);

        var set = GateParser.ParseAll(new Dictionary<string, string> { ["bleu"] = ">= 0.3", ["rougeL"] = ">= 30" });
        Assert.Equal([
            "gate \"bleu\": bleu is on sacreBLEU's 0-100 scale, so 0.3 is almost no bar; did you mean \">= 30\"?",
            "gate \"rougeL\": rougeL is on a 0-1 scale, so 30 can never be reached; did you mean \">= 0.3\"?",
        ], set.Warnings);
    }

    [Fact]
    public void Evaluation_compares_measured_values_and_fails_what_was_not_measured()
    {
        var gates = GateParser.ParseAll(new Dictionary<string, string>
        {
            ["rougeL"] = ">= 0.30", ["rougeL_vs_base"] = "> 0", ["bleu"] = ">= 50", ["perplexity"] = "<= 2.5",
        }).Gates;
        var report = GateEvaluator.Evaluate(gates, Group(rougeL: 0.41, baseRougeL: 0.08, bleu: 21.5));

        Assert.False(report.Passed);
        Assert.Equal([true, true, false, false], report.Results.Select(r => r.Passed));
        Assert.Equal(0.33, report.Results[1].Measured!.Value, 12);
        Assert.Equal("not measured: no perplexity was supplied", report.Results[3].Note);
        Assert.Equal(
            "gate            threshold  measured                             result\n" +
            "rougeL          >= 0.30    0.4100                               pass\n" +
            "rougeL_vs_base  > 0        +0.3300 (95% CI +0.2500 .. +0.4100)  pass\n" +
            "bleu            >= 50      21.50                                FAIL\n" +
            "perplexity      <= 2.5     n/a                                  FAIL: not measured: no perplexity was supplied\n" +
            "2 of 4 quality gates failed\n",
            GateTable.Render(report));
    }

    [Fact]
    public void A_vs_base_gate_without_base_predictions_fails_with_a_reason()
    {
        var gates = GateParser.ParseAll(new Dictionary<string, string> { ["rougeL_vs_base"] = "> 0" }).Gates;
        var result = GateEvaluator.Evaluate(gates, Group(rougeL: 0.41, baseRougeL: null, bleu: 10)).Results.Single();
        Assert.False(result.Passed);
        Assert.Null(result.Measured);
        Assert.Equal("not measured: the predictions have no base_prediction (set evaluate.compare_base: true)", result.Note);
    }

    private static GroupReport Group(double rougeL, double? baseRougeL, double bleu)
    {
        static MetricSet Set(double rougeL, double bleu)
        {
            var prf = new PrfScore(rougeL, rougeL, rougeL);
            return new MetricSet(prf, prf, prf, prf, bleu, 40, 38, 0, null, new BleuDetail(bleu, [], [], [], 1, 1, 1, 1));
        }
        var summary = new DistributionSummary(1, 1, 1);
        var lengths = new LengthStatistics(summary, summary, summary, summary, summary, null, null, null);
        var baseSet = baseRougeL is { } b ? Set(b, bleu / 2) : null;
        var deltas = baseRougeL is { } bb ? new[] { new MetricDelta("rougeL", bb, rougeL, rougeL - bb, 0.25, 0.41) } : null;
        return new GroupReport(null, 10, Set(rougeL, bleu), baseSet, deltas, lengths);
    }
}
