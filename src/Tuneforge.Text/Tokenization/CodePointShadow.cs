using System.Buffers;
using System.Globalization;

namespace Tuneforge.Text;

/// <summary>
/// A copy of a text with one char per code point, for running Hugging Face's regexes under .NET.
/// </summary>
/// <remarks>
/// .NET regex classes see the two UTF-16 halves of an astral character (emoji, CJK Extension B, math letters)
/// as surrogates, while Hugging Face (Oniguruma) sees one code point with its Unicode category. Each astral
/// code point is replaced by a BMP character of the same general category, so <c>\p{L}</c>, <c>\p{S}</c>,
/// <c>\s</c> and friends answer as they do in Hugging Face; offsets are mapped back to the original text.
/// </remarks>
internal sealed class CodePointShadow : IDisposable
{
    // One BMP stand-in per UnicodeCategory, outside ASCII and the CJK/kana ranges that patterns name literally.
    private static readonly char[] StandIns =
    [
        '\u03A9', // UppercaseLetter
        '\u03C9', // LowercaseLetter
        '\u01C5', // TitlecaseLetter
        '\u02B0', // ModifierLetter
        '\u05D0', // OtherLetter
        '\u0300', // NonSpacingMark
        '\u0903', // SpacingCombiningMark
        '\u20DD', // EnclosingMark
        '\u0660', // DecimalDigitNumber
        '\u2160', // LetterNumber
        '\u00B2', // OtherNumber
        '\u2000', // SpaceSeparator
        '\u2028', // LineSeparator
        '\u2029', // ParagraphSeparator
        '\u0080', // Control
        '\u00AD', // Format
        '\uD800', // Surrogate (never produced: astral code points are not surrogates)
        '\uE000', // PrivateUse
        '\u203F', // ConnectorPunctuation
        '\u2010', // DashPunctuation
        '\u2045', // OpenPunctuation
        '\u2046', // ClosePunctuation
        '\u2039', // InitialQuotePunctuation
        '\u203A', // FinalQuotePunctuation
        '\u00A7', // OtherPunctuation
        '\u00D7', // MathSymbol
        '\u00A3', // CurrencySymbol
        '\u00B4', // ModifierSymbol
        '\u00A9', // OtherSymbol
        '\u0378', // OtherNotAssigned
    ];

    private readonly char[] _chars;
    private readonly int[] _originalOffsets;

    private CodePointShadow(ReadOnlySpan<char> text)
    {
        _chars = ArrayPool<char>.Shared.Rent(text.Length);
        _originalOffsets = ArrayPool<int>.Shared.Rent(text.Length + 1);
        int length = 0;
        for (int i = 0; i < text.Length; i++)
        {
            _originalOffsets[length] = i;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                int codePoint = char.ConvertToUtf32(text[i], text[i + 1]);
                _chars[length++] = StandIn(CharUnicodeInfo.GetUnicodeCategory(codePoint));
                i++;
            }
            else
            {
                _chars[length++] = text[i];
            }
        }

        _originalOffsets[length] = text.Length;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<char> Text => _chars.AsSpan(0, Length);

    /// <summary>A shadow of the text, or null when it has no surrogates and can be matched as it is.</summary>
    public static CodePointShadow? CreateIfNeeded(ReadOnlySpan<char> text) =>
        text.IndexOfAnyInRange('\uD800', '\uDFFF') < 0 ? null : new CodePointShadow(text);

    public static char StandIn(UnicodeCategory category) => StandIns[(int)category];

    /// <summary>The offset in the original text of a position in the shadow.</summary>
    public int OriginalOffset(int shadowOffset) => _originalOffsets[shadowOffset];

    public void Dispose()
    {
        ArrayPool<char>.Shared.Return(_chars);
        ArrayPool<int>.Shared.Return(_originalOffsets);
    }
}
