using System.Globalization;
using System.Text;

namespace Tuneforge.Text.Jinja;

/// <summary>Python's str semantics where they differ from .NET's: whitespace, code points, strip/split/title, escapes.</summary>
internal static class PyText
{
    /// <summary>str.isspace for one character (.NET's IsWhiteSpace lacks U+001C..U+001F).</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';

    public static bool IsAllSpace(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!IsSpace(c))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    public static string Strip(string s, string? chars) => LStrip(RStrip(s, chars), chars);

    public static string LStrip(string s, string? chars = null)
    {
        int i = 0;
        while (i < s.Length && Strips(s[i], chars))
        {
            i++;
        }

        return s[i..];
    }

    public static string RStrip(string s, string? chars = null)
    {
        int end = s.Length;
        while (end > 0 && Strips(s[end - 1], chars))
        {
            end--;
        }

        return s[..end];
    }

    private static bool Strips(char c, string? chars) => chars is null ? IsSpace(c) : chars.Contains(c, StringComparison.Ordinal);

    /// <summary>The string as code points (Python indexes, slices and counts these, not UTF-16 units).</summary>
    public static string[] CodePoints(string s)
    {
        var points = new List<string>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                points.Add(s.Substring(i++, 2));
            }
            else
            {
                points.Add(s[i].ToString());
            }
        }

        return [.. points];
    }

    public static int Length(string s)
    {
        int count = s.Length;
        for (int i = 0; i + 1 < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && char.IsLowSurrogate(s[i + 1]))
            {
                count--;
                i++;
            }
        }

        return count;
    }

    /// <summary>str.split(sep, maxsplit): with no separator, runs of whitespace split and ends are dropped.</summary>
    public static List<string> Split(string s, string? sep, int maxSplit)
    {
        var parts = new List<string>();
        if (sep is null)
        {
            int i = 0;
            while (true)
            {
                while (i < s.Length && IsSpace(s[i]))
                {
                    i++;
                }

                if (i >= s.Length)
                {
                    break;
                }

                if (maxSplit >= 0 && parts.Count == maxSplit)
                {
                    parts.Add(RStrip(s[i..]));
                    break;
                }

                int start = i;
                while (i < s.Length && !IsSpace(s[i]))
                {
                    i++;
                }

                parts.Add(s[start..i]);
            }

            return parts;
        }

        if (sep.Length == 0)
        {
            throw new JinjaRuntimeException("ValueError: empty separator");
        }

        int from = 0;
        while (maxSplit < 0 || parts.Count < maxSplit)
        {
            int at = s.IndexOf(sep, from, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }

            parts.Add(s[from..at]);
            from = at + sep.Length;
        }

        parts.Add(s[from..]);
        return parts;
    }

    /// <summary>str.rsplit(sep, maxsplit).</summary>
    public static List<string> RSplit(string s, string? sep, int maxSplit)
    {
        if (maxSplit < 0)
        {
            return Split(s, sep, -1);
        }

        if (sep is null)
        {
            var reversed = Split(Reverse(s), null, maxSplit);
            reversed.Reverse();
            return reversed.Select(Reverse).ToList();
        }

        if (sep.Length == 0)
        {
            throw new JinjaRuntimeException("ValueError: empty separator");
        }

        var parts = new List<string>();
        int end = s.Length;
        while (parts.Count < maxSplit)
        {
            int at = end == 0 ? -1 : s.LastIndexOf(sep, end - 1, StringComparison.Ordinal);
            if (at < 0 || at + sep.Length > end)
            {
                break;
            }

            parts.Add(s[(at + sep.Length)..end]);
            end = at;
        }

        parts.Add(s[..end]);
        parts.Reverse();
        return parts;
    }

    public static string Reverse(string s)
    {
        string[] points = CodePoints(s);
        Array.Reverse(points);
        return string.Concat(points);
    }

    /// <summary>str.splitlines(): every Python line boundary, separators dropped.</summary>
    public static List<string> SplitLines(string s)
    {
        var lines = new List<string>();
        int start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029')
            {
                lines.Add(s[start..i]);
                if (c == '\r' && i + 1 < s.Length && s[i + 1] == '\n')
                {
                    i++;
                }

                start = i + 1;
            }
        }

        if (start < s.Length)
        {
            lines.Add(s[start..]);
        }

        return lines;
    }

    /// <summary>str.title(): a cased letter after an uncased character starts a word.</summary>
    public static string Title(string s)
    {
        var result = new StringBuilder(s.Length);
        bool previousCased = false;
        foreach (string point in CodePoints(s))
        {
            bool cased = IsCased(point);
            result.Append(cased ? (previousCased ? Lower(point) : Upper(point)) : point);
            previousCased = cased;
        }

        return result.ToString();
    }

    /// <summary>str.capitalize(): the first character upper, the rest lower.</summary>
    public static string Capitalize(string s)
    {
        if (s.Length == 0)
        {
            return s;
        }

        string first = CodePoints(s)[0];
        return Upper(first) + Lower(s[first.Length..]);
    }

    public static string Upper(string s) => s.ToUpperInvariant();

    public static string Lower(string s) => s.ToLowerInvariant();

    private static bool IsCased(string point)
    {
        UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(point, 0);
        return category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;
    }

    /// <summary>Decodes a string literal's body as Python's unicode-escape does (unknown escapes stay as written).</summary>
    public static string DecodeEscapes(string body)
    {
        if (!body.Contains('\\', StringComparison.Ordinal))
        {
            return body;
        }

        var result = new StringBuilder(body.Length);
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (c != '\\' || i + 1 >= body.Length)
            {
                result.Append(c);
                continue;
            }

            char e = body[++i];
            switch (e)
            {
                case '\n': break;
                case '\\': result.Append('\\'); break;
                case '\'': result.Append('\''); break;
                case '"': result.Append('"'); break;
                case 'a': result.Append('\a'); break;
                case 'b': result.Append('\b'); break;
                case 'f': result.Append('\f'); break;
                case 'n': result.Append('\n'); break;
                case 'r': result.Append('\r'); break;
                case 't': result.Append('\t'); break;
                case 'v': result.Append('\v'); break;
                case 'x': i = AppendHex(body, i, 2, result); break;
                case 'u': i = AppendHex(body, i, 4, result); break;
                case 'U': i = AppendHex(body, i, 8, result); break;
                case >= '0' and <= '7':
                    int end = i;
                    while (end < body.Length && end - i < 3 && body[end] is >= '0' and <= '7')
                    {
                        end++;
                    }

                    result.Append((char)Convert.ToInt32(body[i..end], 8));
                    i = end - 1;
                    break;
                default: result.Append('\\').Append(e); break;
            }
        }

        return result.ToString();
    }

    private static int AppendHex(string body, int at, int digits, StringBuilder result)
    {
        string hex = body.Substring(at + 1, Math.Min(digits, body.Length - at - 1));
        if (hex.Length != digits || !hex.All(Uri.IsHexDigit))
        {
            throw new JinjaRuntimeException($"a string literal has a truncated \\{body[at]} escape.");
        }

        int value = Convert.ToInt32(hex, 16);
        result.Append(value is >= 0xD800 and <= 0xDFFF ? ((char)value).ToString() : char.ConvertFromUtf32(value));
        return at + digits;
    }
}
