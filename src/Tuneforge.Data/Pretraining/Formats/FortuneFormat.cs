using System.Text.RegularExpressions;

namespace Tuneforge.Data.Pretraining.Formats;

/// <summary>fortune(6) data files: entries separated by lines that hold only '%'; terminal colour codes
/// (fortunes-zh colours titles and authors) are removed.</summary>
public static partial class FortuneFormat
{
    public static IEnumerable<string> Documents(string content)
    {
        var entry = new List<string>();
        foreach (var line in content.Split('\n'))
        {
            if (line.TrimEnd() == "%")
            {
                if (Entry(entry) is { Length: > 0 } text) yield return text;
                entry.Clear();
            }
            else
            {
                entry.Add(AnsiEscape().Replace(line, "").TrimEnd());
            }
        }
        if (Entry(entry) is { Length: > 0 } last) yield return last;
    }

    // Line breaks inside an entry are kept: they are the verse lines of a poem.
    static string Entry(List<string> lines) => string.Join("\n", lines).Trim();

    [GeneratedRegex(@"\x1B\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();
}
