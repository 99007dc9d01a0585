using System.Globalization;
using Tuneforge.Metrics.Reporting;

namespace Tuneforge.Reports;

/// <summary>The one-line summary a build prints: <c>rougeL: 0.41 (+0.33 vs base)</c>.</summary>
public static class ReportSummary
{
    /// <summary>The metric's tuned value and, when a base was scored, the difference; two decimals.</summary>
    public static string OneLine(MetricsReport report, string metric = "rougeL")
    {
        var (name, value) = Pair(report, metric);
        return $"{name}: {value}";
    }

    /// <summary>The same as a summary-table pair: <c>("rougeL", "0.41 (+0.33 vs base)")</c>.</summary>
    public static (string Metric, string Value) Pair(MetricsReport report, string metric = "rougeL")
    {
        if (MetricCatalog.Find(metric) is null)
            throw new ArgumentException($"unknown metric \"{metric}\": use one of {string.Join(", ", MetricCatalog.All.Select(m => m.Name))}", nameof(metric));
        var tuned = MetricCatalog.Value(report.Overall.Tuned, metric);
        if (tuned is null) return (metric, "n/a");
        var value = tuned.Value.ToString("0.00", CultureInfo.InvariantCulture);
        var delta = report.Overall.Deltas?.FirstOrDefault(d => d.Metric == metric);
        if (delta is not null) value += $" ({(delta.Delta >= 0 ? "+" : "")}{delta.Delta.ToString("0.00", CultureInfo.InvariantCulture)} vs base)";
        return (metric, value);
    }
}
