using System.Globalization;
using Tuneforge.Metrics.Reporting;

namespace Tuneforge.Stages.Evaluation;

/// <summary>Base vs tuned as a markdown table, for CI job summaries.</summary>
public static class EvaluationSummary
{
    public static string Markdown(MetricsReport metrics)
    {
        var overall = metrics.Overall;
        var rows = new List<(string Name, double Tuned, double? Base)>
        {
            ("ROUGE-1", overall.Tuned.Rouge1.F1, overall.Base?.Rouge1.F1),
            ("ROUGE-2", overall.Tuned.Rouge2.F1, overall.Base?.Rouge2.F1),
            ("ROUGE-L", overall.Tuned.RougeL.F1, overall.Base?.RougeL.F1),
            ("BLEU", overall.Tuned.Bleu, overall.Base?.Bleu),
            ("chrF", overall.Tuned.Chrf, overall.Base?.Chrf),
            ("exact match", overall.Tuned.ExactMatch, overall.Base?.ExactMatch),
        };
        if (overall.Tuned.Perplexity is { } perplexity) rows.Add(("perplexity", perplexity, overall.Base?.Perplexity));
        var lines = new List<string> { $"### Evaluation ({overall.Count} test examples)", "", "| metric | base | tuned | tuned − base |", "|---|---:|---:|---:|" };
        lines.AddRange(rows.Select(r => $"| {r.Name} | {F(r.Base)} | {F(r.Tuned)} | {(r.Base is { } b ? (r.Tuned - b).ToString("+0.0000;-0.0000", CultureInfo.InvariantCulture) : "")} |"));
        return string.Join("\n", lines) + "\n";
    }

    static string F(double? value) => value?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "";
}
