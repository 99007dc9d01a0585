using System.Text;

namespace Tuneforge.Data.Pretraining.Formats;

/// <summary>roff escapes in running text: font and size changes and spacing hints vanish, named glyphs become their
/// characters (\(em -> —, \(lq -> “), \- and \e become '-' and '\', unknown glyphs and strings are dropped.</summary>
public static class RoffEscapes
{
    static readonly Dictionary<string, string> Glyphs = new(StringComparer.Ordinal)
    {
        ["em"] = "—", ["en"] = "–", ["hy"] = "-", ["mi"] = "−", ["bu"] = "•", ["co"] = "©", ["rg"] = "®", ["tm"] = "™",
        ["lq"] = "“", ["rq"] = "”", ["oq"] = "‘", ["cq"] = "’", ["aq"] = "'", ["dq"] = "\"", ["ga"] = "`", ["ti"] = "~",
        ["ha"] = "^", ["rs"] = "\\", ["sl"] = "/", ["ba"] = "|", ["or"] = "|", ["lB"] = "[", ["rB"] = "]", ["lC"] = "{", ["rC"] = "}",
        ["la"] = "⟨", ["ra"] = "⟩", ["<="] = "≤", [">="] = "≥", ["!="] = "≠", ["->"] = "→", ["<-"] = "←", ["mu"] = "×", ["de"] = "°",
        ["Fo"] = "«", ["Fc"] = "»", ["fo"] = "‹", ["fc"] = "›", ["at"] = "@", ["sh"] = "#", ["Do"] = "$", ["pl"] = "+", ["eq"] = "=",
    };

    public static string Apply(string text)
    {
        if (!text.Contains('\\')) return text;
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 >= text.Length)
            {
                builder.Append(text[i]);
                continue;
            }
            var c = text[++i];
            switch (c)
            {
                case '-': builder.Append('-'); break;
                case 'e' or '\\': builder.Append('\\'); break;
                case ' ' or '~' or '0': builder.Append(' '); break;
                case '.' or '\'' or '`': builder.Append(c); break;
                case '&' or '|' or '^' or ',' or '/' or ':' or '%' or 'c' or 'd' or 'u' or 'p' or 'a' or 't' or '"':
                    if (c == '"') return builder.ToString().TrimEnd();   // a comment to the end of the line
                    break;
                case 'f' or 'F': i = SkipName(text, i); break;
                case 's': i = SkipSize(text, i); break;
                case '*' or 'n' or 'g' or 'k' or 'm' or 'M' or 'V' or 'Y': i = SkipName(text, i); break;
                case '(':
                    if (i + 2 < text.Length) builder.Append(Glyphs.GetValueOrDefault(text.Substring(i + 1, 2), ""));
                    i += 2;
                    break;
                case '[':
                    var close = text.IndexOf(']', i);
                    if (close < 0) close = text.Length - 1;
                    builder.Append(Glyph(text[(i + 1)..close]));
                    i = close;
                    break;
                case 'h' or 'v' or 'w' or 'o' or 'l' or 'L' or 'x' or 'D' or 'b' or 'A' or 'B' or 'C' or 'N' or 'R' or 'X' or 'Z':
                    i = SkipDelimited(text, i);
                    break;
                default: break;   // \{, \}, and the rest carry no text
            }
        }
        return builder.ToString();
    }

    static string Glyph(string name) =>
        Glyphs.TryGetValue(name, out var glyph) ? glyph
        : name.StartsWith("u", StringComparison.Ordinal) && name.Length is 5 or 6 && int.TryParse(name[1..], System.Globalization.NumberStyles.HexNumber, null, out var code)
            ? char.ConvertFromUtf32(code) : "";

    // \fB, \f(CW, \f[BI], \*x, \*(xx, \*[name], \nx ...: returns the index of the name's last character.
    static int SkipName(string text, int at)
    {
        var next = at + 1;
        if (next >= text.Length) return at;
        if (text[next] == '(') return Math.Min(next + 2, text.Length - 1);
        if (text[next] == '[')
        {
            var close = text.IndexOf(']', next);
            return close < 0 ? text.Length - 1 : close;
        }
        if (text[next] is '+' or '-' && next + 1 < text.Length) return next + 1;   // \n+x
        return next;
    }

    // \s+2, \s-1, \s0, \s12, \s(12, \s[12]
    static int SkipSize(string text, int at)
    {
        var i = at + 1;
        if (i < text.Length && text[i] is '+' or '-') i++;
        if (i < text.Length && text[i] is '(' or '[') return SkipName(text, i - 1);
        var digits = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]) && digits < 2) { i++; digits++; }
        return i - 1;
    }

    // \h'1i', \w'text' ...: an argument between two equal delimiters.
    static int SkipDelimited(string text, int at)
    {
        if (at + 1 >= text.Length) return at;
        var delimiter = text[at + 1];
        var close = text.IndexOf(delimiter, at + 2);
        return close < 0 ? text.Length - 1 : close;
    }
}
