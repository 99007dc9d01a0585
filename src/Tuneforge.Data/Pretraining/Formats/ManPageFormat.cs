namespace Tuneforge.Data.Pretraining.Formats;

/// <summary>
/// A roff man page (man(7) macros) as text, one document per page: section headings (.SH, .SS) and paragraphs stay,
/// font macros keep their words, requests and comments go, and escapes become the characters they stand for.
/// A page that only sources another (.so) has no text of its own.
/// </summary>
public static class ManPageFormat
{
    // Macros that start a new paragraph; their arguments, if any, are a heading or a tag line.
    static readonly HashSet<string> Breaks = ["SH", "SS", "PP", "LP", "P", "TP", "IP", "HP", "sp", "br", "RS", "RE", "nf", "fi", "EX", "EE", "TQ", "SY", "YS", "UE", "ME"];
    // Font macros: their arguments are words of the text, run together for the ones that alternate fonts (.BR ls (1)).
    static readonly HashSet<string> Fonts = ["B", "I", "SM", "SB", "UR", "MT", "OP"];
    static readonly HashSet<string> Alternating = ["BR", "RB", "BI", "IB", "IR", "RI"];

    public static IEnumerable<string> Documents(string content)
    {
        var paragraphs = new List<string>();
        var current = new List<string>();
        var tagLine = false;   // after .TP the next text line is the tag: a paragraph of its own
        void Flush()
        {
            var text = ProseLines.Join(current);
            if (text.Length > 0) paragraphs.Add(text);
            current.Clear();
        }
        void EndTag()
        {
            if (!tagLine) return;
            Flush();
            tagLine = false;
        }
        foreach (var raw in Logical(content))
        {
            if (raw.StartsWith(".\\\"", StringComparison.Ordinal) || raw.StartsWith("'\\\"", StringComparison.Ordinal) || raw.StartsWith("\\\"", StringComparison.Ordinal)) continue;
            if (raw.Length > 0 && raw[0] is '.' or '\'')
            {
                var (name, arguments) = Request(raw[1..]);
                if (name == "so") yield break;
                if (Breaks.Contains(name))
                {
                    Flush();
                    // .SH/.SS: the heading; .IP: its tag (the second argument is an indent).
                    var tag = name is "SH" or "SS" ? RoffEscapes.Apply(string.Join(' ', arguments))
                        : name == "IP" && arguments.Count > 0 ? RoffEscapes.Apply(arguments[0]) : "";
                    if (tag.Length > 0) paragraphs.Add(tag);
                    tagLine = name is "TP" or "TQ";
                }
                else if (Fonts.Contains(name) || Alternating.Contains(name))
                {
                    current.Add(RoffEscapes.Apply(string.Join(Alternating.Contains(name) ? "" : " ", arguments)));
                    EndTag();
                }
                continue;   // every other request (.TH, .ds, .de, .if, .nr, .ad, .ne, ...) carries no text
            }
            current.Add(RoffEscapes.Apply(raw));
            EndTag();
        }
        Flush();
        if (paragraphs.Count > 0) yield return string.Join("\n", paragraphs);
    }

    // Lines ending in a lone backslash continue on the next line.
    static IEnumerable<string> Logical(string content)
    {
        var pending = "";
        foreach (var line in content.Replace("\r\n", "\n").Split('\n'))
        {
            if (line.EndsWith('\\') && !line.EndsWith("\\\\", StringComparison.Ordinal))
            {
                pending += line[..^1];
                continue;
            }
            yield return pending + line;
            pending = "";
        }
        if (pending.Length > 0) yield return pending;
    }

    // ".BR ls (1)" -> ("BR", ["ls", "(1)"]); double quotes group words as roff does.
    static (string Name, List<string> Arguments) Request(string body)
    {
        body = body.TrimStart();
        var end = 0;
        while (end < body.Length && !char.IsWhiteSpace(body[end])) end++;
        var name = body[..end];
        var arguments = new List<string>();
        var i = end;
        while (i < body.Length)
        {
            while (i < body.Length && char.IsWhiteSpace(body[i])) i++;
            if (i >= body.Length) break;
            if (body[i] == '"')
            {
                var close = body.IndexOf('"', i + 1);
                if (close < 0) close = body.Length;
                arguments.Add(body[(i + 1)..close]);
                i = close + 1;
            }
            else
            {
                var start = i;
                while (i < body.Length && !char.IsWhiteSpace(body[i])) i++;
                arguments.Add(body[start..i]);
            }
        }
        return (name, arguments);
    }
}
