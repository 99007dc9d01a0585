using System.Text.RegularExpressions;

namespace Tuneforge.Data.Pretraining.Formats;

/// <summary>
/// Plain text as Debian's manuals ship it (debian-reference, debian-faq, maint-guide *.txt): a title and an indented
/// table of contents, then numbered headings at the start of a line ("1.2. 什么是 Debian？", "第 3 章 …") over indented,
/// wrapped paragraphs. A document per heading; what comes before the first heading (title, contents) is front matter
/// and is left out, and so are box-drawn tables.
/// </summary>
public static partial class WrappedTextFormat
{
    public static IEnumerable<string> Documents(string content)
    {
        string? heading = null;
        var body = new List<string>();
        foreach (var line in content.Split('\n'))
        {
            var text = line.Replace('\u00A0', ' ').TrimEnd();
            if (Heading().IsMatch(text))
            {
                if (heading is not null && Document(heading, body) is { Length: > 0 } document) yield return document;
                heading = text.Trim();
                body.Clear();
            }
            else if (heading is not null && !IsTableRule(text))
            {
                body.Add(text);
            }
        }
        if (heading is not null && Document(heading, body) is { Length: > 0 } last) yield return last;
    }

    // A heading without a paragraph (a chapter title over its sections) is no document.
    static string Document(string heading, List<string> body)
    {
        var paragraphs = ProseLines.Paragraphs(body).ToList();
        return paragraphs.Count == 0 ? "" : string.Join("\n", [heading, .. paragraphs]);
    }

    // Box-drawn tables (+----+ rules and | cells) read as noise once their lines are joined.
    static bool IsTableRule(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.StartsWith("+-", StringComparison.Ordinal) || trimmed.StartsWith('|');
    }

    // A numbered section ("1.", "9.6.16.", "A.1.") or a chapter ("第 1 章", "Chapter 1") at the start of a line.
    [GeneratedRegex(@"^(([0-9]+|[A-Z])(\.[0-9]+)*\.\s+\S|第\s*[0-9]+\s*章\s|Chapter\s+[0-9]+\.?\s|Appendix\s+[A-Z]\.?\s|附录\s*[A-Z]\.?\s)")]
    private static partial Regex Heading();
}
