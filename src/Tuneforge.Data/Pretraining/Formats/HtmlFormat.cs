using System.Net;
using System.Text.RegularExpressions;

namespace Tuneforge.Data.Pretraining.Formats;

/// <summary>
/// An HTML page as text, one document per page: the head, scripts, styles and navigation (header, nav, aside, footer)
/// go; block elements (p, h1–h6, li, tr, div, br, ...) end a paragraph; other tags vanish; entities are decoded.
/// Whitespace inside a paragraph collapses as a browser shows it (none at a seam between Chinese characters).
/// </summary>
public static partial class HtmlFormat
{
    public static IEnumerable<string> Documents(string content)
    {
        var text = Hidden().Replace(content, "\n");
        text = Comment().Replace(text, "");
        text = Block().Replace(text, "\n\n");
        text = Tag().Replace(text, "");
        var paragraphs = text.Split("\n\n")
            .Select(p => ProseLines.Join(WebUtility.HtmlDecode(p).Replace('\u00A0', ' ').Split('\n')))
            .Where(p => p.Length > 0);
        var document = string.Join("\n", paragraphs);
        if (document.Length > 0) yield return document;
    }

    [GeneratedRegex(@"<(head|script|style|nav|header|aside|footer|noscript|template)\b.*?</\1\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Hidden();

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"</?(p|h[1-6]|li|ul|ol|dl|dt|dd|tr|table|div|br|hr|pre|blockquote|section|article|title|td|th|caption)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Block();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tag();
}
