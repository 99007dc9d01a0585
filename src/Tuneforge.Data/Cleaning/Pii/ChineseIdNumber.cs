using System.Text.RegularExpressions;

namespace Tuneforge.Data.Cleaning.Pii;

/// <summary>Chinese resident identity numbers (GB 11643-1999): 6-digit region, birth date, 3-digit sequence and
/// an ISO 7064 MOD 11-2 check character. A number whose date or check character is wrong is not one.</summary>
public static partial class ChineseIdNumber
{
    static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const string CheckCharacters = "10X98765432";

    public static IEnumerable<(int Start, int Length)> Find(string text)
    {
        for (var match = Candidate().Match(text); match.Success; match = match.NextMatch())
            if (IsValid(match.ValueSpan)) yield return (match.Index, match.Length);
    }

    public static bool IsValid(ReadOnlySpan<char> id)
    {
        if (id.Length != 18) return false;
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            if (id[i] is < '0' or > '9') return false;
            sum += (id[i] - '0') * Weights[i];
        }
        if (char.ToUpperInvariant(id[17]) != CheckCharacters[sum % 11]) return false;
        var year = int.Parse(id.Slice(6, 4));
        var month = int.Parse(id.Slice(10, 2));
        var day = int.Parse(id.Slice(12, 2));
        return month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9])[1-8][0-9]{5}(?:18|19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9Xx](?![A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex Candidate();
}
