using System.Text;

namespace Tuneforge.Metrics.Text;

/// <summary>
/// The few Python string semantics the reference implementations rely on (sacreBLEU, rouge_score),
/// so that our results match theirs character for character.
/// </summary>
public static class PythonText
{
    /// <summary>Python's <c>str.isspace()</c>: .NET's white space plus the four ASCII separators U+001C..U+001F.</summary>
    public static bool IsSpace(Rune rune) =>
        Rune.IsWhiteSpace(rune) || (rune.Value >= 0x1C && rune.Value <= 0x1F);

    /// <summary>Python's <c>str.split()</c> without arguments: split on runs of white space, drop empty parts.</summary>
    public static List<string> SplitOnWhitespace(string text)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsSpace(rune))
            {
                if (current.Length > 0) { parts.Add(current.ToString()); current.Clear(); }
            }
            else
            {
                current.Append(rune.ToString());
            }
        }
        if (current.Length > 0) parts.Add(current.ToString());
        return parts;
    }

    /// <summary>Python's <c>str.strip()</c> without arguments.</summary>
    public static string Strip(string text)
    {
        var runes = text.EnumerateRunes().ToArray();
        int start = 0, end = runes.Length;
        while (start < end && IsSpace(runes[start])) start++;
        while (end > start && IsSpace(runes[end - 1])) end--;
        return Concat(runes.AsSpan(start, end - start));
    }

    /// <summary>Python's <c>str.rstrip()</c> without arguments.</summary>
    public static string RStrip(string text)
    {
        var runes = text.EnumerateRunes().ToArray();
        int end = runes.Length;
        while (end > 0 && IsSpace(runes[end - 1])) end--;
        return Concat(runes.AsSpan(0, end));
    }

    /// <summary>Python's <c>str.lower()</c> for the cases that matter: invariant lower case, except that
    /// U+0130 (capital I with dot) becomes "i" + U+0307 as in Python, not a bare "i".</summary>
    public static string Lower(string text)
    {
        var lowered = text.ToLowerInvariant();
        return text.Contains('\u0130') ? ReplaceDottedCapitalI(text) : lowered;
    }

    /// <summary>Splits text into code points as strings (Python indexes strings by code point).</summary>
    public static string[] CodePoints(string text) =>
        text.EnumerateRunes().Select(r => r.ToString()).ToArray();

    /// <summary>The number of code points (Python's <c>len(str)</c>).</summary>
    public static int CodePointCount(string text)
    {
        int count = 0;
        foreach (var _ in text.EnumerateRunes()) count++;
        return count;
    }

    private static string ReplaceDottedCapitalI(string text)
    {
        var builder = new StringBuilder(text.Length + 4);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == 0x130) builder.Append("i\u0307");
            else builder.Append(Rune.ToLowerInvariant(rune).ToString());
        }
        return builder.ToString();
    }

    private static string Concat(ReadOnlySpan<Rune> runes)
    {
        var builder = new StringBuilder(runes.Length);
        foreach (var rune in runes) builder.Append(rune.ToString());
        return builder.ToString();
    }
}
