using System.Text;

namespace Tuneforge.Metrics.Text;

/// <summary>
/// Which characters count as one CJK token each: Han ideographs (all CJK Unified Ideographs blocks and the
/// compatibility ideographs), Hiragana, Katakana (with the prolonged-sound mark and half-width forms),
/// Hangul syllables and jamo, Bopomofo, and the ideographic iteration marks 々 〆 〻.
/// CJK punctuation (。，、「」《》！？ full-width ASCII punctuation, U+3000 ideographic space) is not a token:
/// it separates tokens, exactly as ASCII punctuation does in rouge_score.
/// </summary>
public static class CjkCharacters
{
    private static readonly (int First, int Last)[] Ranges =
    [
        (0x1100, 0x11FF),   // Hangul Jamo
        (0x2E80, 0x2EFF),   // CJK Radicals Supplement
        (0x2F00, 0x2FDF),   // Kangxi Radicals
        (0x3005, 0x3007),   // 々 〆 〇
        (0x3021, 0x3029),   // Hangzhou numerals
        (0x3031, 0x3035),   // vertical kana repeat marks
        (0x303B, 0x303C),   // 〻 〼
        (0x3041, 0x3096),   // Hiragana letters
        (0x309D, 0x309F),   // Hiragana iteration marks, digraph yori
        (0x30A1, 0x30FA),   // Katakana letters
        (0x30FC, 0x30FF),   // prolonged sound mark, Katakana iteration marks, digraph koto
        (0x3105, 0x312F),   // Bopomofo
        (0x3131, 0x318E),   // Hangul Compatibility Jamo
        (0x31A0, 0x31BF),   // Bopomofo Extended
        (0x31F0, 0x31FF),   // Katakana Phonetic Extensions
        (0x3400, 0x4DBF),   // CJK Unified Ideographs Extension A
        (0x4E00, 0x9FFF),   // CJK Unified Ideographs
        (0xA960, 0xA97F),   // Hangul Jamo Extended-A
        (0xAC00, 0xD7A3),   // Hangul Syllables
        (0xD7B0, 0xD7FF),   // Hangul Jamo Extended-B
        (0xF900, 0xFAFF),   // CJK Compatibility Ideographs
        (0xFF66, 0xFF9F),   // half-width Katakana
        (0xFFA0, 0xFFDC),   // half-width Hangul
        (0x1B000, 0x1B16F), // Kana Supplement, Kana Extended-A, Small Kana Extension
        (0x20000, 0x2FA1F), // CJK Unified Ideographs Extensions B–F, Compatibility Ideographs Supplement
        (0x30000, 0x323AF), // CJK Unified Ideographs Extensions G–H
    ];

    /// <summary>True when the code point is scored as a token of its own.</summary>
    public static bool IsCjkLetter(Rune rune)
    {
        int value = rune.Value;
        if (value < 0x1100) return false;
        foreach (var (first, last) in Ranges)
        {
            if (value < first) return false;
            if (value <= last) return true;
        }
        return false;
    }

    /// <summary>True when the text holds at least one CJK letter.</summary>
    public static bool ContainsCjk(string text)
    {
        foreach (var rune in text.EnumerateRunes())
            if (IsCjkLetter(rune)) return true;
        return false;
    }
}
