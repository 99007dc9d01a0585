using Tuneforge.Files;
using Tuneforge.Reports.Html;
using Tuneforge.Reports.Input;
using Tuneforge.Reports.Markdown;
using Tuneforge.Reports.Plots;

namespace Tuneforge.Reports;

/// <summary>The files a report run wrote, relative to its output folder.</summary>
public sealed record ReportFiles(string Markdown, string Html, IReadOnlyList<string> Plots);

/// <summary>Writes <c>report.md</c>, a self-contained <c>report.html</c>, and the plots as PNG and SVG under <c>plots/</c>.</summary>
public static class ReportWriter
{
    /// <summary>Renders everything in memory first, then writes each file to a temporary name and renames it into place.</summary>
    public static ReportFiles Write(string outputDirectory, ReportInput input)
    {
        var plots = new List<PlotImage>();
        if (LossCurvePlot.Render(input.History) is { } loss) plots.Add(loss);
        plots.Add(MetricBarsPlot.Render(input.Metrics));
        var plotFiles = plots.SelectMany(p => new[] { $"plots/{p.Name}.png", $"plots/{p.Name}.svg" }).ToList();

        var markdown = MarkdownReport.Render(input, plotFiles);
        var html = HtmlReport.Render(input, plots);

        Directory.CreateDirectory(Path.Combine(outputDirectory, "plots"));
        // A plot left out this time (no loss history) must not survive from an earlier run.
        foreach (var stale in new[] { "loss", "metrics" }.Except(plots.Select(p => p.Name)))
            foreach (var extension in new[] { ".png", ".svg" })
                File.Delete(Path.Combine(outputDirectory, "plots", stale + extension));
        foreach (var plot in plots)
        {
            AtomicFile.WriteAllBytes(Path.Combine(outputDirectory, "plots", $"{plot.Name}.png"), plot.Png);
            AtomicFile.WriteAllText(Path.Combine(outputDirectory, "plots", $"{plot.Name}.svg"), plot.Svg);
        }
        AtomicFile.WriteAllText(Path.Combine(outputDirectory, "report.md"), markdown);
        AtomicFile.WriteAllText(Path.Combine(outputDirectory, "report.html"), html);
        return new ReportFiles("report.md", "report.html", plotFiles);
    }
}
