using System.Globalization;
using System.Text;

namespace Tuneforge.Data.Cleaning;

/// <summary>Unicode NFC plus whitespace and control-character normalization. Not NFKC: that would turn Chinese
/// full-width punctuation (，。？：) into ASCII and change what the model learns to write.</summary>
public static class TextNormalizer
{
    /// <summary>NFC; CR LF and CR become LF; tabs and Unicode spaces (NBSP, U+3000 ...) become a space; other control
    /// and zero-width characters are removed (ZWJ stays: emoji need it); lone surrogates become U+FFFD; runs of
    /// spaces collapse to one; lines are trimmed; more than one blank line collapses to one; the ends are trimmed.</summary>
    public static string Normalize(string text)
    {
        if (text.Length == 0) return text;
        var cleaned = NeedsCleaning(text) ? Clean(text) : text;
        return cleaned.IsNormalized(NormalizationForm.FormC) ? cleaned : cleaned.Normalize(NormalizationForm.FormC);
    }

    // Most text is already clean: one pass to check avoids building a new string.
    static bool NeedsCleaning(string text)
    {
        if (text[0] is ' ' or '\n' || text[^1] is ' ' or '\n') return true;
        var previous = '\0';
        foreach (var c in text)
        {
            if (c < ' ' && c != '\n') return true;
            if (c == ' ' && previous is ' ' or '\n') return true;
            if (c == '\n' && previous == ' ') return true;
            if (c >= 0x7F && Classify(c) != Kind.Keep) return true;
            if (char.IsSurrogate(c)) return true;
            previous = c;
        }
        return text.Contains("\n\n\n", StringComparison.Ordinal);
    }

    static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        var newlines = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                Emit(builder, ref pendingSpace, ref newlines);
                builder.Append(c).Append(text[++i]);
                continue;
            }
            if (char.IsSurrogate(c)) c = '\uFFFD';
            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n') i++;
                c = '\n';
            }
            switch (c == '\n' ? Kind.Newline : Classify(c))
            {
                case Kind.Newline:
                    pendingSpace = false; // trailing spaces of a line go
                    if (builder.Length > 0) newlines++;
                    break;
                case Kind.Space:
                    if (builder.Length > 0 && newlines == 0) pendingSpace = true;
                    break;
                case Kind.Remove:
                    break;
                default:
                    Emit(builder, ref pendingSpace, ref newlines);
                    builder.Append(c);
                    break;
            }
        }
        return builder.ToString();
    }

    static void Emit(StringBuilder builder, ref bool pendingSpace, ref int newlines)
    {
        if (newlines > 0) builder.Append('\n', Math.Min(newlines, 2));
        else if (pendingSpace) builder.Append(' ');
        newlines = 0;
        pendingSpace = false;
    }

    enum Kind { Keep, Space, Remove, Newline }

    static Kind Classify(char c)
    {
        if (c == '\t' || c == ' ') return Kind.Space;
        if (c == '\u200D') return Kind.Keep; // zero-width joiner: part of emoji sequences
        if (c is '\u200B' or '\u200C' or '\u2060' or '\uFEFF' or '\u00AD') return Kind.Remove;
        if (c is '\u2028' or '\u2029' or '\u0085') return Kind.Newline;
        var category = CharUnicodeInfo.GetUnicodeCategory(c);
        return category switch
        {
            UnicodeCategory.SpaceSeparator => Kind.Space,
            UnicodeCategory.Control => c is '\v' or '\f' ? Kind.Newline : Kind.Remove,
            UnicodeCategory.Format when c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' => Kind.Remove, // bidi overrides
            _ => Kind.Keep,
        };
    }
}
