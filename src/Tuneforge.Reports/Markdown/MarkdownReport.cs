using System.Text;
using Tuneforge.Metrics.Reporting;
using Tuneforge.Protocol;
using Tuneforge.Reports.Examples;
using Tuneforge.Reports.Input;
using static Tuneforge.Reports.ReportText;

namespace Tuneforge.Reports.Markdown;

/// <summary>Renders <c>report.md</c>: summary, metrics with intervals, gates, categories, lengths, loss, and example tables.</summary>
public static class MarkdownReport
{
    /// <summary>The Markdown text; plots are linked under <c>plots/</c> when given.</summary>
    public static string Render(ReportInput input, IReadOnlyList<string> plotFiles)
    {
        var metrics = input.Metrics;
        var view = new ReportInputView(metrics, input.Predictions);
        var md = new StringBuilder();
        md.Append($"# {Escape(input.Title)}\n\n");
        md.Append($"**{Escape(ReportSummary.OneLine(metrics))}**\n\n");
        md.Append($"{metrics.Source.Examples} examples in {metrics.Categories.Count} categories, from `{Escape(metrics.Source.File)}`");
        if (metrics.Source.Sha256 is { } sha) md.Append($" (sha256 {sha[..12]})");
        md.Append(".\n\n");

        AppendMetrics(md, metrics);
        foreach (var file in plotFiles.Where(f => f.StartsWith("plots/metrics", StringComparison.Ordinal) && f.EndsWith(".svg", StringComparison.Ordinal)))
            md.Append($"![Base vs tuned metrics]({file})\n\n");
        AppendGates(md, metrics);
        if (metrics.Judge is { } judge) md.Append($"## LLM judge\n\n{Escape(judge.Describe())}\n\n");
        if (metrics.Preference is { } preference) md.Append($"## Preference pairs\n\n{Escape(preference.Describe())}\n\n");
        AppendCategories(md, metrics);
        if (input.Ratings is { } ratings) AppendRatings(md, ratings);
        AppendLengths(md, metrics);
        AppendTraining(md, input.History, plotFiles);
        AppendExamples(md, $"Weakest {input.ExamplesPerTable} examples (lowest tuned ROUGE-L)", ExampleSelection.Weakest(view, input.ExamplesPerTable), metrics.Source.HasBase);
        AppendExamples(md, $"Strongest {input.ExamplesPerTable} examples (highest tuned ROUGE-L)", ExampleSelection.Strongest(view, input.ExamplesPerTable), metrics.Source.HasBase);
        AppendSettings(md, metrics.Settings);
        return md.ToString();
    }

    private static void AppendMetrics(StringBuilder md, MetricsReport metrics)
    {
        var overall = metrics.Overall;
        md.Append("## Metrics\n\n");
        if (overall.Base is null)
        {
            md.Append("| metric | tuned |\n|---|---:|\n");
            foreach (var info in MetricCatalog.Reported(overall))
                md.Append($"| {info.Label} | {Value(info.Name, MetricCatalog.Value(overall.Tuned, info.Name))} |\n");
            md.Append('\n');
            return;
        }
        md.Append("| metric | base | tuned | tuned − base | 95% CI |\n|---|---:|---:|---:|---|\n");
        foreach (var info in MetricCatalog.Reported(overall))
        {
            var delta = overall.Deltas?.FirstOrDefault(d => d.Metric == info.Name);
            md.Append($"| {info.Label} | {Value(info.Name, MetricCatalog.Value(overall.Base, info.Name))} | {Value(info.Name, MetricCatalog.Value(overall.Tuned, info.Name))} | ");
            md.Append(delta is null ? "— | — |\n" : $"{Signed(info.Name, delta.Delta)} | {Interval(info.Name, delta.CiLow, delta.CiHigh)} |\n");
        }
        md.Append("\nROUGE and exact match are 0–1; BLEU and chrF are on sacreBLEU's 0–100 scale. Intervals: paired bootstrap.\n\n");
    }

    private static void AppendGates(StringBuilder md, MetricsReport metrics)
    {
        md.Append("## Quality gates\n\n");
        if (metrics.Gates is null)
        {
            md.Append("No gates in this report: the build checks `evaluate.gates` against metrics.json on every run (a changed gate is re-checked without generating again) and prints their table in its log and CI job summary.\n\n");
            return;
        }
        md.Append("| gate | threshold | measured | result |\n|---|---|---:|---|\n");
        foreach (var r in metrics.Gates.Results)
        {
            var measured = r.Measured is { } m ? (r.Gate != r.Metric ? Signed(r.Metric, m) : Value(r.Metric, m)) : "n/a";
            var result = r.Passed ? "pass" : "**FAIL**";
            if (r.Note is not null) result += $" ({Escape(r.Note)})";
            md.Append($"| {Escape(r.Gate)} | {Escape(r.Condition)} | {measured} | {result} |\n");
        }
        md.Append($"\n{(metrics.Gates.Passed ? "All gates passed." : "Some gates failed.")}\n\n");
    }

    private static void AppendCategories(StringBuilder md, MetricsReport metrics)
    {
        AppendGroups(md, "Per category", "category", metrics.Categories, metrics);
        if (metrics.Sources is { } sources) AppendGroups(md, "Per source", "source", sources, metrics);
    }

    private static void AppendGroups(StringBuilder md, string title, string label, IReadOnlyList<GroupReport> groups, MetricsReport metrics)
    {
        md.Append($"## {title}\n\n");
        bool hasBase = metrics.Overall.Base is not null;
        md.Append(hasBase
            ? $"| {label} | n | ROUGE-L tuned | ROUGE-L base | Δ ROUGE-L | 95% CI | BLEU tuned | BLEU base | chrF tuned | chrF base | EM tuned |\n|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|\n"
            : $"| {label} | n | ROUGE-L | BLEU | chrF | EM |\n|---|---:|---:|---:|---:|---:|\n");
        foreach (var group in groups.Append(metrics.Overall))
        {
            var name = group.Name is null ? "**all**" : MarkdownCell(group.Name, 60);
            var t = group.Tuned;
            if (hasBase)
            {
                var d = group.Deltas!.First(x => x.Metric == "rougeL");
                md.Append($"| {name} | {group.Count} | {Value("rougeL", t.RougeL.F1)} | {Value("rougeL", group.Base!.RougeL.F1)} | {Signed("rougeL", d.Delta)} | " +
                          $"{Interval("rougeL", d.CiLow, d.CiHigh)} | {Value("bleu", t.Bleu)} | {Value("bleu", group.Base.Bleu)} | {Value("chrf", t.Chrf)} | {Value("chrf", group.Base.Chrf)} | {Value("exact_match", t.ExactMatch)} |\n");
            }
            else
            {
                md.Append($"| {name} | {group.Count} | {Value("rougeL", t.RougeL.F1)} | {Value("bleu", t.Bleu)} | {Value("chrf", t.Chrf)} | {Value("exact_match", t.ExactMatch)} |\n");
            }
        }
        md.Append('\n');
    }

    private static void AppendRatings(StringBuilder md, Metrics.Human.ExpertRatings ratings)
    {
        md.Append("## Expert review\n\n");
        var mean = ratings.MeanRating is { } m ? m.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "n/a";
        md.Append($"{ratings.Rated} of {ratings.Rows} reviewed answers rated (mean {mean} of {Metrics.Human.ExpertRatings.MaxRating}), {ratings.Corrected} corrected (the corrections train), ");
        md.Append($"from {string.Join(", ", ratings.Sheets.Select(s => $"`{Escape(s)}`"))}{(ratings.Reviewers.Count > 0 ? $" by {Escape(string.Join(", ", ratings.Reviewers))}" : "")}.\n\n");
        md.Append("| rating | " + string.Join(" | ", ratings.ByRating.Keys) + " |\n|---|" + string.Concat(ratings.ByRating.Keys.Select(_ => "---:|")) + "\n");
        md.Append("| answers | " + string.Join(" | ", ratings.ByRating.Values) + " |\n\n");
        md.Append("| category | rated | mean rating | corrected |\n|---|---:|---:|---:|\n");
        foreach (var c in ratings.ByCategory)
            md.Append($"| {MarkdownCell(c.Category, 60)} | {c.Rated} | {(c.MeanRating is { } cm ? cm.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "—")} | {c.Corrected} |\n");
        md.Append('\n');
    }

    private static void AppendLengths(StringBuilder md, MetricsReport metrics)
    {
        var l = metrics.Overall.Lengths;
        md.Append("## Answer lengths\n\n| | mean | median | p90 |\n|---|---:|---:|---:|\n");
        md.Append($"| reference, characters | {Summary(l.ReferenceChars)} |\n");
        md.Append($"| tuned, characters | {Summary(l.PredictionChars)} |\n");
        if (l.BaseChars is not null) md.Append($"| base, characters | {Summary(l.BaseChars)} |\n");
        md.Append($"| reference, tokens as scored | {Summary(l.ReferenceTokens)} |\n");
        md.Append($"| tuned, tokens as scored | {Summary(l.PredictionTokens)} |\n");
        if (l.BaseTokens is not null) md.Append($"| base, tokens as scored | {Summary(l.BaseTokens)} |\n");
        md.Append($"| tuned, model tokens | {Summary(l.PredictionCompletionTokens)} |\n");
        if (l.BaseCompletionTokens is not null) md.Append($"| base, model tokens | {Summary(l.BaseCompletionTokens)} |\n");
        md.Append('\n');
        if (metrics.Reasoning is { } reasoning) md.Append($"{Escape(reasoning.Describe())}.\n\n");
    }

    private static void AppendTraining(StringBuilder md, TrainingHistory? history, IReadOnlyList<string> plotFiles)
    {
        md.Append("## Training\n\n");
        if (history is null || history.IsEmpty)
        {
            md.Append("No loss history was supplied.\n\n");
            return;
        }
        foreach (var file in plotFiles.Where(f => f.StartsWith("plots/loss", StringComparison.Ordinal) && f.EndsWith(".svg", StringComparison.Ordinal)))
            md.Append($"![Training and eval loss]({file})\n\n");
        md.Append(LossSummary(history)).Append("\n\n");
    }

    /// <summary>First and last train loss, best eval loss, each with its step.</summary>
    internal static string LossSummary(TrainingHistory history)
    {
        var parts = new List<string>();
        if (history.TrainLoss.Count > 0)
        {
            var ordered = history.TrainLoss.OrderBy(p => p.Step).ToList();
            parts.Add($"train loss {Number(ordered[0].Value, "0.000")} at step {ordered[0].Step} → {Number(ordered[^1].Value, "0.000")} at step {ordered[^1].Step}");
        }
        if (history.EvalLoss.Count > 0)
        {
            var best = history.EvalLoss.OrderBy(p => p.Value).ThenBy(p => p.Step).First();
            var last = history.EvalLoss.OrderBy(p => p.Step).Last();
            parts.Add($"best eval loss {Number(best.Value, "0.000")} at step {best.Step}, last {Number(last.Value, "0.000")} at step {last.Step}");
        }
        return string.Join("; ", parts) + ".";
    }

    private static void AppendExamples(StringBuilder md, string heading, IReadOnlyList<ShownExample> examples, bool hasBase)
    {
        md.Append($"## {heading}\n\n");
        md.Append(hasBase
            ? "| id | category | ROUGE-L tuned | ROUGE-L base | prompt | reference | tuned | base |\n|---|---|---:|---:|---|---|---|---|\n"
            : "| id | category | ROUGE-L | prompt | reference | tuned |\n|---|---|---:|---|---|---|\n");
        foreach (var e in examples)
        {
            md.Append($"| {MarkdownCell(e.Record.Id, 40)} | {MarkdownCell(e.Record.Category, 40)} | {Value("rougeL", e.Scores.Tuned.RougeL)} | ");
            if (hasBase) md.Append($"{Value("rougeL", e.Scores.Base?.RougeL)} | ");
            md.Append($"{MarkdownCell(e.Record.Prompt)} | {MarkdownCell(e.Record.Reference)} | {MarkdownCell(e.Record.Prediction)} |");
            if (hasBase) md.Append($" {MarkdownCell(e.Record.BasePrediction ?? "")} |");
            md.Append('\n');
        }
        md.Append('\n');
    }

    private static void AppendSettings(StringBuilder md, ScoringSettings s)
    {
        md.Append("## How these numbers were computed\n\n");
        md.Append($"- ROUGE: {Escape(s.RougeTokenizer)}, stemming {(s.RougeStemmer ? "on" : "off")}; F1 averaged over examples\n");
        md.Append($"- BLEU (sacreBLEU-compatible): `{s.Bleu}`\n");
        md.Append($"- chrF: `{s.Chrf}`; chrF++: `{s.ChrfPlusPlus}`\n");
        md.Append($"- exact match: {Escape(s.ExactMatch)}\n");
        md.Append($"- bootstrap: {s.Bootstrap.Samples} paired resamples, seed {s.Bootstrap.Seed}, {Number(s.Bootstrap.Confidence * 100, "0")}% intervals\n");
    }
}
