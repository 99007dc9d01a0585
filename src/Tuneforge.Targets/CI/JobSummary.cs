using System.Globalization;

namespace Tuneforge.Targets;

/// <summary>The summary table as markdown, for the job's summary page: one heading per build step, then the targets.</summary>
public static class JobSummary
{
    public static string Render(string invocation, IReadOnlyList<SummaryTable.Row> rows, bool succeeded, DateTimeOffset finished, TimeSpan total)
    {
        var date = finished.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var lines = new List<string>
        {
            $"### {(succeeded ? "✅" : "❌")} `{invocation.Replace("`", "'")}`",
            "",
            "| Target | Status | Duration | |",
            "|:--|:--|--:|:--|",
        };
        lines.AddRange(rows.Select(r => $"| {Cell(r.Name)} | {Cell(r.Status)} | {Cell(r.Duration)} | {Cell(r.Info)} |"));
        lines.Add($"| **Total** | | **{SummaryTable.FormatDuration(total)}** | |");
        lines.Add("");
        lines.Add(succeeded ? $"Build succeeded on {date}." : $"Build failed on {date}.");
        return string.Join("\n", lines) + "\n";
    }

    /// <summary>A build that stopped before any target ran (a bad parameter, a pipeline spec error).</summary>
    public static string RenderError(string invocation, string message) =>
        $"### ❌ `{invocation.Replace("`", "'")}`\n\n```text\n{message.Replace("```", "'''")}\n```\n";

    // A '|' would end the cell, a line break the row.
    static string Cell(string text) => text.Replace("|", "\\|").Replace("\r", "").Replace("\n", "<br>");
}
