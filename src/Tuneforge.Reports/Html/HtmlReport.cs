using System.Text;
using Tuneforge.Metrics.Reporting;
using Tuneforge.Reports.Examples;
using Tuneforge.Reports.Input;
using Tuneforge.Reports.Markdown;
using Tuneforge.Reports.Plots;
using static Tuneforge.Reports.ReportText;

namespace Tuneforge.Reports.Html;

/// <summary>Renders a self-contained <c>report.html</c>: inline CSS, plots as SVG data: URIs, every datum HTML-escaped.</summary>
public static class HtmlReport
{
    public static string Render(ReportInput input, IReadOnlyList<PlotImage> plots)
    {
        var metrics = input.Metrics;
        var view = new ReportInputView(metrics, input.Predictions);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append($"<title>{Escape(input.Title)}</title>\n<style>\n{HtmlStyle.Css}\n</style>\n</head>\n<body>\n");
        html.Append($"<h1>{Escape(input.Title)}</h1>\n");
        html.Append($"<p class=\"summary\">{Escape(ReportSummary.OneLine(metrics))}</p>\n");
        html.Append($"<p class=\"muted\">{metrics.Source.Examples} examples in {metrics.Categories.Count} categories, from <code>{Escape(metrics.Source.File)}</code>");
        if (metrics.Source.Sha256 is { } sha) html.Append($" (sha256 {Escape(sha[..12])})");
        html.Append(".</p>\n");

        AppendMetrics(html, metrics);
        AppendPlot(html, plots.FirstOrDefault(p => p.Name == "metrics"));
        AppendGates(html, metrics);
        if (metrics.Judge is { } judge) html.Append($"<h2>LLM judge</h2>\n<p>{Escape(judge.Describe())}</p>\n");
        if (metrics.Preference is { } preference) html.Append($"<h2>Preference pairs</h2>\n<p>{Escape(preference.Describe())}</p>\n");
        AppendCategories(html, metrics);
        if (input.Ratings is { } ratings) AppendRatings(html, ratings);
        AppendLengths(html, metrics);
        html.Append("<h2>Training</h2>\n");
        if (input.History is null || input.History.IsEmpty) html.Append("<p class=\"muted\">No loss history was supplied.</p>\n");
        else
        {
            AppendPlot(html, plots.FirstOrDefault(p => p.Name == "loss"));
            html.Append($"<p>{Escape(MarkdownReport.LossSummary(input.History))}</p>\n");
        }
        AppendExamples(html, $"Weakest {input.ExamplesPerTable} examples (lowest tuned ROUGE-L)", ExampleSelection.Weakest(view, input.ExamplesPerTable));
        AppendExamples(html, $"Strongest {input.ExamplesPerTable} examples (highest tuned ROUGE-L)", ExampleSelection.Strongest(view, input.ExamplesPerTable));
        var s = metrics.Settings;
        html.Append("<h2>How these numbers were computed</h2>\n<ul>\n");
        html.Append($"<li>ROUGE: {Escape(s.RougeTokenizer)}, stemming {(s.RougeStemmer ? "on" : "off")}; F1 averaged over examples</li>\n");
        html.Append($"<li>BLEU (sacreBLEU-compatible): <code>{Escape(s.Bleu)}</code></li>\n");
        html.Append($"<li>chrF: <code>{Escape(s.Chrf)}</code>; chrF++: <code>{Escape(s.ChrfPlusPlus)}</code></li>\n");
        html.Append($"<li>exact match: {Escape(s.ExactMatch)}</li>\n");
        html.Append($"<li>bootstrap: {s.Bootstrap.Samples} paired resamples, seed {s.Bootstrap.Seed}, {Number(s.Bootstrap.Confidence * 100, "0")}% intervals</li>\n</ul>\n");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendPlot(StringBuilder html, PlotImage? plot)
    {
        if (plot is null) return;
        html.Append($"<p><img class=\"plot\" alt=\"{Escape(plot.Title)}\" src=\"{plot.SvgDataUri}\"></p>\n");
    }

    private static string DeltaCell(string metric, double delta)
    {
        bool higherIsBetter = MetricCatalog.Find(metric)?.HigherIsBetter ?? true;
        var css = delta == 0 ? "" : (delta > 0) == higherIsBetter ? " better" : " worse";
        return $"<td class=\"num{css}\">{Signed(metric, delta)}</td>";
    }

    private static void AppendMetrics(StringBuilder html, MetricsReport metrics)
    {
        var overall = metrics.Overall;
        html.Append("<h2>Metrics</h2>\n<table>\n");
        html.Append(overall.Base is null
            ? "<tr><th>metric</th><th>tuned</th></tr>\n"
            : "<tr><th>metric</th><th>base</th><th>tuned</th><th>tuned − base</th><th>95% CI</th></tr>\n");
        foreach (var info in MetricCatalog.Reported(overall))
        {
            html.Append($"<tr><td>{Escape(info.Label)}</td>");
            if (overall.Base is not null) html.Append($"<td class=\"num\">{Value(info.Name, MetricCatalog.Value(overall.Base, info.Name))}</td>");
            html.Append($"<td class=\"num\">{Value(info.Name, MetricCatalog.Value(overall.Tuned, info.Name))}</td>");
            if (overall.Base is not null)
            {
                var delta = overall.Deltas?.FirstOrDefault(d => d.Metric == info.Name);
                html.Append(delta is null ? "<td class=\"num\">—</td><td>—</td>" : $"{DeltaCell(info.Name, delta.Delta)}<td class=\"num\">{Interval(info.Name, delta.CiLow, delta.CiHigh)}</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</table>\n<p class=\"muted\">ROUGE and exact match are 0–1; BLEU and chrF are on sacreBLEU's 0–100 scale. Intervals: paired bootstrap.</p>\n");
    }

    private static void AppendGates(StringBuilder html, MetricsReport metrics)
    {
        html.Append("<h2>Quality gates</h2>\n");
        if (metrics.Gates is null)
        {
            html.Append("<p class=\"muted\">No gates in this report: the build checks <code>evaluate.gates</code> against metrics.json on every run (a changed gate is re-checked without generating again) and prints their table in its log and CI job summary.</p>\n");
            return;
        }
        html.Append("<table>\n<tr><th>gate</th><th>threshold</th><th>measured</th><th>result</th></tr>\n");
        foreach (var r in metrics.Gates.Results)
        {
            var measured = r.Measured is { } m ? (r.Gate != r.Metric ? Signed(r.Metric, m) : Value(r.Metric, m)) : "n/a";
            var result = r.Passed ? "<span class=\"pass\">pass</span>" : "<span class=\"fail\">FAIL</span>";
            if (r.Note is not null) result += $" {Escape(r.Note)}";
            html.Append($"<tr><td>{Escape(r.Gate)}</td><td>{Escape(r.Condition)}</td><td class=\"num\">{measured}</td><td>{result}</td></tr>\n");
        }
        html.Append("</table>\n");
    }

    private static void AppendCategories(StringBuilder html, MetricsReport metrics)
    {
        AppendGroups(html, "Per category", "category", metrics.Categories, metrics);
        if (metrics.Sources is { } sources) AppendGroups(html, "Per source", "source", sources, metrics);
    }

    private static void AppendGroups(StringBuilder html, string title, string label, IReadOnlyList<GroupReport> groups, MetricsReport metrics)
    {
        bool hasBase = metrics.Overall.Base is not null;
        html.Append($"<h2>{title}</h2>\n<table>\n<tr><th>{label}</th><th>n</th><th>ROUGE-L tuned</th>");
        if (hasBase) html.Append("<th>ROUGE-L base</th><th>Δ ROUGE-L</th><th>95% CI</th>");
        html.Append("<th>BLEU tuned</th>");
        if (hasBase) html.Append("<th>BLEU base</th>");
        html.Append("<th>chrF tuned</th>");
        if (hasBase) html.Append("<th>chrF base</th>");
        html.Append("<th>EM tuned</th></tr>\n");
        foreach (var group in groups.Append(metrics.Overall))
        {
            var t = group.Tuned;
            html.Append($"<tr><td>{(group.Name is null ? "<strong>all</strong>" : Escape(group.Name))}</td><td class=\"num\">{group.Count}</td>");
            html.Append($"<td class=\"num\">{Value("rougeL", t.RougeL.F1)}</td>");
            if (hasBase)
            {
                var d = group.Deltas!.First(x => x.Metric == "rougeL");
                html.Append($"<td class=\"num\">{Value("rougeL", group.Base!.RougeL.F1)}</td>{DeltaCell("rougeL", d.Delta)}<td class=\"num\">{Interval("rougeL", d.CiLow, d.CiHigh)}</td>");
            }
            html.Append($"<td class=\"num\">{Value("bleu", t.Bleu)}</td>");
            if (hasBase) html.Append($"<td class=\"num\">{Value("bleu", group.Base!.Bleu)}</td>");
            html.Append($"<td class=\"num\">{Value("chrf", t.Chrf)}</td>");
            if (hasBase) html.Append($"<td class=\"num\">{Value("chrf", group.Base!.Chrf)}</td>");
            html.Append($"<td class=\"num\">{Value("exact_match", t.ExactMatch)}</td></tr>\n");
        }
        html.Append("</table>\n");
    }

    private static void AppendRatings(StringBuilder html, Metrics.Human.ExpertRatings ratings)
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        var mean = ratings.MeanRating is { } m ? m.ToString("0.00", culture) : "n/a";
        html.Append("<h2>Expert review</h2>\n");
        html.Append($"<p>{ratings.Rated} of {ratings.Rows} reviewed answers rated (mean {mean} of {Metrics.Human.ExpertRatings.MaxRating}), {ratings.Corrected} corrected (the corrections train), ");
        html.Append($"from {string.Join(", ", ratings.Sheets.Select(s => $"<code>{Escape(s)}</code>"))}{(ratings.Reviewers.Count > 0 ? $" by {Escape(string.Join(", ", ratings.Reviewers))}" : "")}.</p>\n");
        html.Append("<table>\n<tr><th>category</th><th>rated</th><th>mean rating</th><th>corrected</th></tr>\n");
        foreach (var c in ratings.ByCategory)
            html.Append($"<tr><td>{Escape(c.Category)}</td><td class=\"num\">{c.Rated}</td><td class=\"num\">{(c.MeanRating is { } cm ? cm.ToString("0.00", culture) : "—")}</td><td class=\"num\">{c.Corrected}</td></tr>\n");
        html.Append("</table>\n");
    }

    private static void AppendLengths(StringBuilder html, MetricsReport metrics)
    {
        var l = metrics.Overall.Lengths;
        html.Append("<h2>Answer lengths</h2>\n<table>\n<tr><th></th><th>mean</th><th>median</th><th>p90</th></tr>\n");
        void Row(string label, Tuneforge.Metrics.Statistics.DistributionSummary? s)
        {
            if (s is null) return;
            html.Append($"<tr><td>{label}</td><td class=\"num\">{Number(s.Mean)}</td><td class=\"num\">{Number(s.Median)}</td><td class=\"num\">{Number(s.P90)}</td></tr>\n");
        }
        Row("reference, characters", l.ReferenceChars);
        Row("tuned, characters", l.PredictionChars);
        Row("base, characters", l.BaseChars);
        Row("reference, tokens as scored", l.ReferenceTokens);
        Row("tuned, tokens as scored", l.PredictionTokens);
        Row("base, tokens as scored", l.BaseTokens);
        Row("tuned, model tokens", l.PredictionCompletionTokens);
        Row("base, model tokens", l.BaseCompletionTokens);
        html.Append("</table>\n");
        if (metrics.Reasoning is { } reasoning) html.Append($"<p>{Escape(reasoning.Describe())}.</p>\n");
    }

    private static void AppendExamples(StringBuilder html, string heading, IReadOnlyList<ShownExample> examples)
    {
        html.Append($"<h2>{Escape(heading)}</h2>\n");
        int rank = 0;
        foreach (var e in examples)
        {
            rank++;
            bool hasBase = e.Record.BasePrediction is not null;
            html.Append("<section class=\"example\">\n<header>");
            html.Append($"{rank}. <code>{Escape(e.Record.Id)}</code> · {Escape(e.Record.Category)} · ROUGE-L {Value("rougeL", e.Scores.Tuned.RougeL)}");
            if (e.Scores.Base is { } b) html.Append($" (base {Value("rougeL", b.RougeL)})");
            html.Append($"</header>\n<div class=\"sides{(hasBase ? "" : " three")}\">\n");
            Side(html, "prompt", e.Record.Prompt);
            Side(html, "reference", e.Record.Reference);
            Side(html, "tuned", e.Record.Prediction);
            if (hasBase) Side(html, "base", e.Record.BasePrediction!);
            html.Append("</div>\n</section>\n");
        }
    }

    private static void Side(StringBuilder html, string label, string text) =>
        html.Append($"<div class=\"side\"><h4>{label}</h4><pre>{Escape(text)}</pre></div>\n");
}
