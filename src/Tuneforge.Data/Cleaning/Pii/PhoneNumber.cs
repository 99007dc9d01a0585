using System.Text.RegularExpressions;

namespace Tuneforge.Data.Cleaning.Pii;

/// <summary>Phone numbers: Chinese mobile (1[3-9] + 9 digits, optionally +86 and grouped 3-4-4), Chinese landlines
/// with an area code (010-12345678, (021)87654321), international numbers written with +, and North American
/// (555) 123-4567 / 555-123-4567. Not: 400/800 service hotlines, digits inside longer numbers or identifiers
/// (order and tracking numbers), dates, times or versions.</summary>
public static partial class PhoneNumber
{
    static readonly string[] TollFree = ["400", "800", "833", "844", "855", "866", "877", "888"];

    public static IEnumerable<(int Start, int Length)> Find(string text)
    {
        foreach (var pattern in new[] { ChineseMobile(), ChineseLandline(), International() })
            for (var match = pattern.Match(text); match.Success; match = match.NextMatch())
                if (DigitCount(match.ValueSpan) is >= 8 and <= 15)
                    yield return (match.Index, match.Length);
        for (var match = NorthAmerican().Match(text); match.Success; match = match.NextMatch())
            if (!TollFree.Contains(match.Groups["area"].Value))
                yield return (match.Index, match.Length);
    }

    static int DigitCount(ReadOnlySpan<char> value)
    {
        var count = 0;
        foreach (var c in value)
            if (c is >= '0' and <= '9') count++;
        return count;
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9+])(?:(?:\+|00)86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?![A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex ChineseMobile();

    [GeneratedRegex(@"(?<![A-Za-z0-9+])(?:(?:\+86[ -]?|0)[1-9][0-9]{1,2}-|\(0[1-9][0-9]{1,2}\) ?)[1-9][0-9]{6,7}(?:-[0-9]{1,5})?(?![A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex ChineseLandline();

    [GeneratedRegex(@"(?<![A-Za-z0-9+])\+(?!86)[1-9][0-9]{0,2}(?:[ .-]?\([0-9]{1,4}\)|[ .-]?[0-9]{1,4})(?:[ .-]?[0-9]{2,4}){1,4}(?![A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex International();

    [GeneratedRegex(@"(?<![A-Za-z0-9+.-])(?:\((?<area>[2-9][0-9]{2})\) ?|(?<area>[2-9][0-9]{2})[-.])[2-9][0-9]{2}[-.][0-9]{4}(?![A-Za-z0-9]|[.-][0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex NorthAmerican();
}
