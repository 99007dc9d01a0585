using Tuneforge.Metrics.Gates;
using Tuneforge.Metrics.Reporting;

namespace Tuneforge.Metrics.Tests.Gates;

/// <summary>The forgetting check in metrics.json and gates: general_perplexity per system, forgetting_ppl_ratio = tuned ÷ base.</summary>
public class ForgettingGateTests
{
    private static readonly string SmallFile = TestFiles.Path("scoring", "small.jsonl");

    private static MetricsReport Score(double? generalTuned, double? generalBase, IReadOnlyDictionary<string, string>? gates = null) =>
        Scoring.ScoreFile(SmallFile, new ScoringOptions { Perplexity = new(Tuned: 3.2, Base: 9.5, GeneralTuned: generalTuned, GeneralBase: generalBase), Gates = gates });

    [Fact]
    public void General_perplexity_is_reported_overall_with_its_difference_and_never_per_category()
    {
        var report = Score(generalTuned: 12.5, generalBase: 10.0);

        Assert.Equal((12.5, 10.0), (report.Overall.Tuned.GeneralPerplexity, report.Overall.Base!.GeneralPerplexity));
        var delta = report.Overall.Deltas!.Single(d => d.Metric == "general_perplexity");
        Assert.Equal((10.0, 12.5, 2.5, (double?)null), (delta.Base, delta.Tuned, delta.Delta, delta.CiLow));
        Assert.All(report.Categories, c => Assert.Null(c.Tuned.GeneralPerplexity));
        Assert.Contains("\"general_perplexity\": 12.5", MetricsReportJson.Serialize(report));
    }

    [Theory]
    [InlineData(11.0, "<= 1.10", true)]
    [InlineData(11.5, "<= 1.10", false)]
    public void Forgetting_ppl_ratio_gates_tuned_over_base(double generalTuned, string condition, bool passes)
    {
        var gate = GateParser.Parse("forgetting_ppl_ratio", condition);
        var result = Score(generalTuned, generalBase: 10.0, new Dictionary<string, string> { ["forgetting_ppl_ratio"] = condition }).Gates!.Results.Single();

        Assert.Equal(("general_perplexity", true, false), (gate.Metric, gate.RatioToBase, gate.VersusBase));
        Assert.Equal(generalTuned / 10.0, result.Measured!.Value, 12);
        Assert.Equal(passes, result.Passed);
        Assert.Matches($@"forgetting_ppl_ratio +{System.Text.RegularExpressions.Regex.Escape(condition)} +{generalTuned / 10.0:0.000} ", GateTable.Render(new GateReport(result.Passed, [result])));
    }

    [Fact]
    public void Without_general_text_the_ratio_gate_fails_saying_what_to_set()
    {
        var result = Score(generalTuned: null, generalBase: null, new Dictionary<string, string> { ["forgetting_ppl_ratio"] = "<= 1.10" }).Gates!.Results.Single();

        Assert.False(result.Passed);
        Assert.Equal("not measured: no general_perplexity of both models was supplied (evaluate.forgetting.texts)", result.Note);
    }

    [Fact]
    public void An_unknown_gate_lists_the_ratio_gate_among_the_known_ones()
    {
        var error = Assert.Throws<GateSpecException>(() => GateParser.Parse("forgetting_ratio", "<= 1.1"));

        Assert.Contains("forgetting_ppl_ratio (general_perplexity, tuned ÷ base)", error.Problems.Single());
        Assert.Contains("did you mean \"forgetting_ppl_ratio\"?", error.Problems.Single());
    }
}
