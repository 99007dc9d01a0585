using System.Globalization;
using System.Net;
using System.Text;
using Tuneforge.Metrics.Gates;
using Tuneforge.Metrics.Statistics;

namespace Tuneforge.Reports;

/// <summary>Number formats and escaping shared by the Markdown and HTML reports.</summary>
internal static class ReportText
{
    public static string Value(string metric, double? value) =>
        value is { } v ? GateTable.FormatMeasured(metric, v, signed: false) : "—";

    public static string Signed(string metric, double value) => GateTable.FormatMeasured(metric, value, signed: true);

    public static string Interval(string metric, double? low, double? high) =>
        low is { } l && high is { } h ? $"[{Signed(metric, l)}, {Signed(metric, h)}]" : "—";

    public static string Number(double value, string format = "0.0") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Summary(DistributionSummary? s) =>
        s is null ? "— | — | —" : $"{Number(s.Mean)} | {Number(s.Median)} | {Number(s.P90)}";

    /// <summary>Escapes text for HTML (also used inside Markdown, whose renderers pass raw HTML through).</summary>
    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A Markdown table cell: HTML-escaped, Markdown punctuation escaped, line breaks as &lt;br&gt;, cut to <paramref name="maxChars"/>.</summary>
    public static string MarkdownCell(string text, int maxChars = 300)
    {
        var cut = Truncate(text.Replace("\r\n", "\n"), maxChars);
        var escaped = new StringBuilder();
        foreach (var c in Escape(cut))
        {
            if (c is '\\' or '|' or '*' or '_' or '`' or '[' or ']') escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString().Replace("\n", "<br>");
    }

    /// <summary>At most <paramref name="maxChars"/> code points, with an ellipsis when cut.</summary>
    public static string Truncate(string text, int maxChars)
    {
        var runes = text.EnumerateRunes().ToArray();
        if (runes.Length <= maxChars) return text;
        return string.Concat(runes.Take(maxChars).Select(r => r.ToString())) + "…";
    }
}
