using System.Globalization;
using System.Net;
using System.Text;

namespace Tuneforge.Data.Inspection;

/// <summary>inspect.html: a self-contained page with the token-length distribution and, per example, every token as a
/// box: grey prompt, green trained, outlined special, struck-through beyond max_seq_length (its id on hover).</summary>
internal static class InspectHtml
{
    const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #1f2328; }
        table { border-collapse: collapse; margin: 1rem 0; }
        th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; }
        th { background: #f6f8fa; text-align: left; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .bar { background: #54aeff; height: .8rem; display: inline-block; }
        .example { border: 1px solid #d0d7de; border-radius: 6px; margin: 1.2rem 0; }
        .example header { background: #f6f8fa; padding: .4rem .7rem; border-bottom: 1px solid #d0d7de; }
        .tokens { padding: .6rem .7rem; line-height: 1.9; font-family: ui-monospace, "SFMono-Regular", monospace; font-size: .85rem; }
        .tok { border-radius: 3px; padding: 1px 2px; margin: 0 1px; white-space: pre-wrap; }
        .p { background: #eaeef2; color: #57606a; }
        .t { background: #dafbe1; color: #116329; }
        .s { outline: 1px solid #8250df; color: #8250df; font-weight: 600; }
        .x { background: #ffebe9; color: #a40e26; text-decoration: line-through; }
        .cut { color: #cf222e; font-weight: 700; margin: 0 .3rem; }
        .legend span { margin-right: 1rem; }
        """;

    public static string Render(InspectResult result)
    {
        var culture = CultureInfo.InvariantCulture;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n<title>What Train trains on</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n");
        html.Append("<h1>What Train trains on</h1>\n");
        html.Append(culture, $"<p>{result.Records} train records rendered with the <code>{Escape(result.TemplateName)}</code> template. ");
        html.Append(culture, $"<strong>{result.Truncated}</strong> are longer than max_seq_length {result.MaxSeqLength} ({result.TruncatedTokens} tokens cut); ");
        html.Append(culture, $"{result.Dropped} of them keep no trained token and are skipped. {result.TrainedTokens} tokens are trained in all.</p>\n");
        AppendDistribution(html, result);
        html.Append("<h2>The first examples, token by token</h2>\n<p class=\"legend\"><span class=\"tok p\">prompt (not trained)</span><span class=\"tok t\">trained</span>");
        html.Append("<span class=\"tok s\">special token</span><span class=\"tok x\">beyond max_seq_length</span> ↵ is a line break; hover a token for its id.</p>\n");
        for (var e = 0; e < result.Examples.Count; e++) AppendExample(html, e + 1, result.Examples[e]);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    static void AppendDistribution(StringBuilder html, InspectResult result)
    {
        var d = result.Lengths;
        var culture = CultureInfo.InvariantCulture;
        html.Append("<h2>Tokens per record</h2>\n<table>\n<tr><th>min</th><th>p10</th><th>median</th><th>p90</th><th>p99</th><th>max</th><th>mean</th></tr>\n");
        html.Append(culture, $"<tr><td class=\"num\">{d.Min}</td><td class=\"num\">{d.P10}</td><td class=\"num\">{d.P50}</td><td class=\"num\">{d.P90}</td><td class=\"num\">{d.P99}</td><td class=\"num\">{d.Max}</td><td class=\"num\">{d.Mean:0.0}</td></tr>\n</table>\n");
        if (d.Histogram.Count == 0) return;
        var largest = d.Histogram.Max(h => h.Count);
        html.Append("<table>\n<tr><th>tokens</th><th>records</th><th></th></tr>\n");
        var lower = 0;
        foreach (var (upTo, count) in d.Histogram)
        {
            var label = upTo == int.MaxValue ? $"&gt; {lower}" : $"{lower + 1}–{upTo}";
            var cut = upTo > result.MaxSeqLength && lower < result.MaxSeqLength ? " (max_seq_length inside)" : "";
            html.Append(culture, $"<tr><td>{label}{cut}</td><td class=\"num\">{count}</td><td><span class=\"bar\" style=\"width:{(largest == 0 ? 0 : 30.0 * count / largest):0.#}rem\"></span></td></tr>\n");
            lower = upTo;
        }
        html.Append("</table>\n");
    }

    static void AppendExample(StringBuilder html, int number, ExampleView example)
    {
        var culture = CultureInfo.InvariantCulture;
        var fit = example.Truncated ? $"truncated at {example.MaxSeqLength}: {example.Length - example.MaxSeqLength} tokens cut" : $"fits in {example.MaxSeqLength}";
        html.Append(culture, $"<section class=\"example\">\n<header>#{number} <code>{Escape(example.Location)}</code> · id <code>{Escape(example.Id)}</code> · {example.Length} tokens, {example.TrainedTokens} trained, {fit}</header>\n<div class=\"tokens\">");
        for (var i = 0; i < example.Tokens.Count; i++)
        {
            var token = example.Tokens[i];
            if (i == example.MaxSeqLength) html.Append("<span class=\"cut\">✂ max_seq_length</span>");
            var classes = token.BeyondCut ? "x" : token.Trained ? "t" : "p";
            if (token.Special) classes += " s";
            var text = token.Text.Length == 0 ? "·" : Escape(token.Text).Replace("\n", "↵\n");
            html.Append(culture, $"<span class=\"tok {classes}\" title=\"id {token.Id}{(token.Text.Length == 0 ? ", part of the next character" : "")}\">{text}</span>");
        }
        html.Append("</div>\n</section>\n");
    }

    static string Escape(string text) => WebUtility.HtmlEncode(text);
}
