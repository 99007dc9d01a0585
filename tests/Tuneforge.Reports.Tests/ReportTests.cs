using System.Text.RegularExpressions;
using Snapshooter.Xunit;
using Tuneforge.Protocol;
using Tuneforge.Reports.Html;
using Tuneforge.Reports.Input;
using Tuneforge.Reports.Markdown;
using Tuneforge.Reports.Plots;

namespace Tuneforge.Reports.Tests;

public sealed class ReportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tuneforge-report-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Report_markdown_matches_the_snapshot()
    {
        var markdown = MarkdownReport.Render(ReportFixture.Input(), ["plots/loss.png", "plots/loss.svg", "plots/metrics.png", "plots/metrics.svg"]);
        Snapshot.Match(markdown);
    }

    [Fact]
    public void The_forgetting_checks_row_is_shown_only_when_general_text_was_measured()
    {
        var measured = Tuneforge.Metrics.Scoring.ScoreFile(ReportFixture.PredictionsPath,
            new Tuneforge.Metrics.ScoringOptions { Perplexity = new Tuneforge.Metrics.PerplexityValues(2.1, 7.9, GeneralTuned: 130.5, GeneralBase: 120.0) });

        var markdown = MarkdownReport.Render(new ReportInput(measured, ReportFixture.Predictions, null), []);
        var html = HtmlReport.Render(new ReportInput(measured, ReportFixture.Predictions, null), []);

        Assert.Contains("| Perplexity, general text | 120.000 | 130.500 | +10.500 | — |", markdown);
        Assert.Contains("<td>Perplexity, general text</td>", html);
        Assert.DoesNotContain("general text", MarkdownReport.Render(ReportFixture.Input(), []));
    }

    [Fact]
    public void Writer_produces_markdown_html_and_plots_as_png_and_svg()
    {
        var files = ReportWriter.Write(_directory, ReportFixture.Input());
        Assert.Equal(["plots/loss.png", "plots/loss.svg", "plots/metrics.png", "plots/metrics.svg"], files.Plots);
        foreach (var plot in files.Plots)
        {
            var bytes = File.ReadAllBytes(Path.Combine(_directory, plot));
            if (plot.EndsWith(".png")) Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
            else Assert.Contains("<svg", System.Text.Encoding.UTF8.GetString(bytes));
        }
        Assert.Equal(MarkdownReport.Render(ReportFixture.Input(), files.Plots), File.ReadAllText(Path.Combine(_directory, "report.md")));
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Html_has_no_external_references()
    {
        var html = Render();
        Assert.DoesNotMatch(new Regex(@"(src|href)\s*=\s*[""']?\s*(https?:)?//", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"url\(\s*[""']?\s*(https?:)?//", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"<link\b|<script\b|@import", RegexOptions.IgnoreCase), html);
        // Both plots are inline images.
        Assert.Equal(2, Regex.Matches(html, "src=\"data:image/svg\\+xml;base64,").Count);
    }

    [Fact]
    public void Html_escapes_what_comes_from_data()
    {
        var html = Render();
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<b>bold</b>", html);
        Assert.Contains("Never run &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; friends.", html);
        Assert.Contains("&lt;b&gt;bold&lt;/b&gt; | pipe | text", html);
        Assert.Contains("北京是中国的首都。", html);
    }

    [Fact]
    public void Markdown_escapes_html_and_table_pipes_from_data()
    {
        var markdown = MarkdownReport.Render(ReportFixture.Input(), []);
        Assert.DoesNotContain("<script>", markdown);
        Assert.Contains("&lt;b&gt;bold&lt;/b&gt; \\| pipe \\| text", markdown);
        Assert.Contains("Soft rain on the roof<br>whispers", markdown);
    }

    [Fact]
    public void Examples_are_the_twenty_weakest_and_strongest_by_tuned_rougeL()
    {
        var html = Render();
        Assert.Equal(2 * 20, Regex.Matches(html, "<section class=\"example\">").Count);
        var input = ReportFixture.Input();
        var view = new Examples.ReportInputView(input.Metrics, input.Predictions);
        var weakest = Examples.ExampleSelection.Weakest(view, 20);
        Assert.True(weakest.Zip(weakest.Skip(1)).All(p => p.First.Scores.Tuned.RougeL <= p.Second.Scores.Tuned.RougeL));
        Assert.Equal(view.Examples.Min(e => e.Scores.Tuned.RougeL), weakest[0].Scores.Tuned.RougeL);
    }

    [Fact]
    public void Summary_line_gives_the_value_and_the_gain_over_base()
    {
        var metrics = ReportFixture.Metrics();
        var delta = metrics.Overall.Deltas!.Single(d => d.Metric == "rougeL").Delta;
        Assert.Equal($"rougeL: {metrics.Overall.Tuned.RougeL.F1:0.00} (+{delta:0.00} vs base)", ReportSummary.OneLine(metrics));
        Assert.Matches(@"^rougeL: 0\.\d\d \(\+0\.\d\d vs base\)$", ReportSummary.OneLine(metrics));
        Assert.StartsWith("bleu: ", ReportSummary.OneLine(metrics, "bleu"));
    }

    [Fact]
    public void Without_history_the_loss_plot_is_left_out()
    {
        ReportWriter.Write(_directory, ReportFixture.Input());
        var input = ReportFixture.Input() with { History = null };
        var files = ReportWriter.Write(_directory, input);
        Assert.Equal(["metrics.png", "metrics.svg"], Directory.GetFiles(Path.Combine(_directory, "plots")).Select(Path.GetFileName).Order());
        Assert.Equal(["plots/metrics.png", "plots/metrics.svg"], files.Plots);
        Assert.Contains("No loss history was supplied.", File.ReadAllText(Path.Combine(_directory, "report.md")));
        Assert.Null(LossCurvePlot.Render(TrainingHistory.Empty));
    }

    private static string Render()
    {
        var input = ReportFixture.Input();
        return HtmlReport.Render(input, [LossCurvePlot.Render(input.History)!, MetricBarsPlot.Render(input.Metrics)]);
    }
}
