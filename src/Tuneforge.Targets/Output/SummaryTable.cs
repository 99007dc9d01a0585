using System.Globalization;

namespace Tuneforge.Targets;

/// <summary>NUKE's closing table: target, status, duration and the <c>// key: value</c> pairs a target reported.</summary>
public static class SummaryTable
{
    /// <summary>One line of the table.</summary>
    public sealed record Row(string Name, string Status, string Duration, string Info)
    {
        public static Row From(ExecutableTarget t) => new(t.Name, StatusText(t), DurationText(t), InfoText(t));
    }

    public static string Render(IReadOnlyList<ExecutableTarget> plan, bool succeeded, DateTimeOffset finished, TimeSpan total) =>
        Render(plan.Select(Row.From).ToList(), succeeded, finished, total);

    public static string Render(IReadOnlyList<Row> rows, bool succeeded, DateTimeOffset finished, TimeSpan total)
    {
        var nameWidth = Math.Max(19, rows.Select(r => r.Name.Length).DefaultIfEmpty().Max() + 2);
        const int statusWidth = 12, durationWidth = 9;
        var width = nameWidth + statusWidth + durationWidth;
        var lines = new List<string>
        {
            "",
            new('═', width),
            "Target".PadRight(nameWidth) + "Status".PadRight(statusWidth) + "Duration".PadLeft(durationWidth),
            new('─', width),
        };
        foreach (var row in rows)
        {
            var line = row.Name.PadRight(nameWidth) + row.Status.PadRight(statusWidth) + row.Duration.PadLeft(durationWidth);
            lines.Add(row.Info.Length > 0 ? $"{line}   // {row.Info}" : line.TrimEnd());
        }
        lines.Add(new('─', width));
        lines.Add("Total".PadRight(nameWidth + statusWidth) + FormatDuration(total).PadLeft(durationWidth));
        lines.Add(new('═', width));
        lines.Add("");
        var date = finished.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        lines.Add(succeeded ? $"Build succeeded on {date}. ＼（＾ᴗ＾）／" : $"Build failed on {date}. (╯°□°）╯︵ ┻━┻");
        return string.Join(Environment.NewLine, lines);
    }

    static string StatusText(ExecutableTarget t) => t.Status switch
    {
        ExecutionStatus.Scheduled or ExecutionStatus.NotRun => "NotRun",
        var s => s.ToString(),
    };

    static string DurationText(ExecutableTarget t) => t.Status is ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.UpToDate
        ? FormatDuration(t.Duration)
        : "";

    static string InfoText(ExecutableTarget t)
    {
        if (t.Status == ExecutionStatus.Skipped) return t.SkipReason ?? "";
        var pairs = t.SummaryInformation.Select(kv => $"{kv.Key}: {kv.Value}").ToList();
        if (t.CacheKey is { } key) pairs.Insert(0, $"key: {key}");
        return string.Join(", ", pairs);
    }

    public static string FormatDuration(TimeSpan duration) =>
        duration.TotalSeconds < 1 ? "< 1sec" : duration.TotalHours >= 1 ? duration.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : duration.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
