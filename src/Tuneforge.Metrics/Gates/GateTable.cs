using System.Globalization;
using System.Text;
using Tuneforge.Metrics.Reporting;

namespace Tuneforge.Metrics.Gates;

/// <summary>Renders gate results as an aligned plain-text table for build logs.</summary>
public static class GateTable
{
    /// <summary>Columns gate, condition, measured, result; a failed or unmeasured gate says why.</summary>
    public static string Render(GateReport report)
    {
        var rows = new List<string[]> { new[] { "gate", "threshold", "measured", "result" } };
        foreach (var r in report.Results)
        {
            var signed = r.Gate.EndsWith(GateParser.VersusBaseSuffix, StringComparison.Ordinal);   // a difference, not a value
            var measured = r.Measured is { } m ? FormatMeasured(r.Metric, m, signed) : "n/a";
            if (r.CiLow is { } low && r.CiHigh is { } high)
                measured += $" (95% CI {FormatMeasured(r.Metric, low, signed)} .. {FormatMeasured(r.Metric, high, signed)})";
            var result = r.Passed ? "pass" : "FAIL";
            if (r.Note is not null) result += $": {r.Note}";
            rows.Add([r.Gate, r.Condition, measured, result]);
        }

        var widths = Enumerable.Range(0, 3).Select(c => rows.Max(row => row[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (int c = 0; c < 3; c++) text.Append(row[c].PadRight(widths[c] + 2));
            text.Append(row[3]).Append('\n');
        }
        int failed = report.Results.Count(r => !r.Passed);
        text.Append(failed == 0
            ? $"all {report.Results.Count} quality gates passed\n"
            : $"{failed} of {report.Results.Count} quality gates failed\n");
        return text.ToString();
    }

    /// <summary>A metric value at the precision its scale deserves; differences carry a sign.</summary>
    public static string FormatMeasured(string metric, double value, bool signed)
    {
        var scale = MetricCatalog.Find(metric)?.Scale ?? "0-1";
        var format = scale switch { "0-100" => "0.00", ">=1" => "0.000", _ => "0.0000" };
        var text = value.ToString(format, CultureInfo.InvariantCulture);
        return signed && value >= 0 ? "+" + text : text;
    }
}
