using System.Text;

namespace Tuneforge.Data.Pretraining.Formats;

/// <summary>Joins lines that a formatter wrapped back into paragraphs: Chinese and Japanese text without a space at
/// the seam (it has none between words), other text with one.</summary>
public static class ProseLines
{
    public static string Join(IEnumerable<string> lines)
    {
        var builder = new StringBuilder();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            if (builder.Length > 0 && !IsWide(builder[^1]) && !IsWide(line[0])) builder.Append(' ');
            builder.Append(line);
        }
        return builder.ToString();
    }

    /// <summary>Paragraphs separated by blank lines, each joined; empty paragraphs dropped.</summary>
    public static IEnumerable<string> Paragraphs(IEnumerable<string> lines)
    {
        var current = new List<string>();
        foreach (var line in lines)
        {
            if (line.Trim().Length == 0)
            {
                if (current.Count > 0) yield return Join(current);
                current.Clear();
            }
            else
            {
                current.Add(line);
            }
        }
        if (current.Count > 0) yield return Join(current);
    }

    /// <summary>Han, kana, Hangul, CJK punctuation and full-width forms: scripts written without spaces between words.</summary>
    public static bool IsWide(char c) =>
        c is >= '\u2E80' and <= '\u9FFF'      // CJK radicals, punctuation (、。「」), kana, unified ideographs
            or >= '\uAC00' and <= '\uD7AF'    // Hangul syllables
            or >= '\uF900' and <= '\uFAFF'    // compatibility ideographs
            or >= '\uFE30' and <= '\uFE4F'    // CJK compatibility forms
            or >= '\uFF00' and <= '\uFFEF';   // full-width forms (，？！：)
}
