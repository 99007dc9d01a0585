using System.Text.RegularExpressions;
using Tuneforge.Metrics.Text;

namespace Tuneforge.Metrics.Bleu;

/// <summary>sacreBLEU's tokenizers that matter here: <c>none</c>, <c>13a</c> (mteval-v13a, its default) and <c>zh</c>.</summary>
public enum BleuTokenizerKind
{
    None,
    Thirteen13a,
    Zh,
}

/// <summary>Tokenizes a segment the way sacreBLEU does before counting n-grams.</summary>
public static partial class BleuTokenizer
{
    /// <summary>The name sacreBLEU prints in its signature (<c>tok:13a</c>).</summary>
    public static string Name(BleuTokenizerKind kind) => kind switch
    {
        BleuTokenizerKind.None => "none",
        BleuTokenizerKind.Thirteen13a => "13a",
        BleuTokenizerKind.Zh => "zh",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Parses a sacreBLEU tokenizer name ("none", "13a", "zh").</summary>
    public static BleuTokenizerKind Parse(string name) => name switch
    {
        "none" => BleuTokenizerKind.None,
        "13a" => BleuTokenizerKind.Thirteen13a,
        "zh" => BleuTokenizerKind.Zh,
        _ => throw new ArgumentException($"unknown BLEU tokenizer '{name}': use one of none, 13a, zh", nameof(name)),
    };

    /// <summary>As <see cref="Parse"/>, with "auto" (or nothing) for null: zh when the references hold Chinese, else 13a.</summary>
    public static BleuTokenizerKind? ParseOrAuto(string? name) => name is null or "auto" ? null : Parse(name);

    /// <summary>Returns the tokenized segment, tokens separated by single spaces.</summary>
    public static string Tokenize(string line, BleuTokenizerKind kind) => kind switch
    {
        BleuTokenizerKind.None => line,
        BleuTokenizerKind.Thirteen13a => Tokenize13a(line),
        BleuTokenizerKind.Zh => TokenizeZh(line),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static string Tokenize13a(string line)
    {
        line = line.Replace("<skipped>", "").Replace("-\n", "").Replace("\n", " ");
        if (line.Contains('&'))
            line = line.Replace("&quot;", "\"").Replace("&amp;", "&").Replace("&lt;", "<").Replace("&gt;", ">");
        return MtevalRegex($" {line} ");
    }

    private static string TokenizeZh(string line)
    {
        var spaced = new System.Text.StringBuilder();
        foreach (var rune in PythonText.Strip(line).EnumerateRunes())
        {
            if (IsSacreBleuChineseChar(rune.Value)) spaced.Append(' ').Append(rune.ToString()).Append(' ');
            else spaced.Append(rune.ToString());
        }
        return MtevalRegex(spaced.ToString());
    }

    /// <summary>sacreBLEU's common post-tokenizer for 13a and zh (its TokenizerRegexp).</summary>
    private static string MtevalRegex(string line)
    {
        line = SymbolRegex().Replace(line, " $1 ");
        line = PeriodCommaAfterNonDigitRegex().Replace(line, "$1 $2 ");
        line = PeriodCommaBeforeNonDigitRegex().Replace(line, " $1 $2");
        line = DashAfterDigitRegex().Replace(line, "$1 $2 ");
        return string.Join(' ', PythonText.SplitOnWhitespace(line));
    }

    /// <summary>
    /// sacreBLEU's "is Chinese character" test as it actually evaluates: two of its ranges are written as
    /// 5-hex-digit <c>\u</c> escapes, which Python reads as a 4-digit escape plus a digit, so they cover
    /// U+2001..U+2A6D and U+2F81..U+2FA1 (general punctuation, symbols) and not CJK Extension B. Kana is not split.
    /// </summary>
    internal static bool IsSacreBleuChineseChar(int c) =>
        c is >= 0x3400 and <= 0x4DB5
        or >= 0x4E00 and <= 0x9FA5
        or >= 0x9FA6 and <= 0x9FBB
        or >= 0xF900 and <= 0xFA2D
        or >= 0xFA30 and <= 0xFA6A
        or >= 0xFA70 and <= 0xFAD9
        or >= 0x2001 and <= 0x2A6D
        or >= 0x2F81 and <= 0x2FA1
        or >= 0xFF00 and <= 0xFFEF
        or >= 0x2E80 and <= 0x2EFF
        or >= 0x3000 and <= 0x303F
        or >= 0x31C0 and <= 0x31EF
        or >= 0x2F00 and <= 0x2FDF
        or >= 0x2FF0 and <= 0x2FFF
        or >= 0x3100 and <= 0x312F
        or >= 0x31A0 and <= 0x31BF
        or >= 0xFE10 and <= 0xFE1F
        or >= 0xFE30 and <= 0xFE4F
        or >= 0x2600 and <= 0x26FF
        or >= 0x2700 and <= 0x27BF
        or >= 0x3200 and <= 0x32FF
        or >= 0x3300 and <= 0x33FF;

    [GeneratedRegex(@"([\{-\~\[-\` -\&\(-\+\:-\@\/])", RegexOptions.CultureInvariant)]
    private static partial Regex SymbolRegex();

    [GeneratedRegex(@"([^0-9])([\.,])", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodCommaAfterNonDigitRegex();

    [GeneratedRegex(@"([\.,])([^0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodCommaBeforeNonDigitRegex();

    [GeneratedRegex(@"([0-9])(-)", RegexOptions.CultureInvariant)]
    private static partial Regex DashAfterDigitRegex();
}
