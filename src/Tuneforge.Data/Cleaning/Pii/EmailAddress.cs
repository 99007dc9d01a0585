using System.Text.RegularExpressions;

namespace Tuneforge.Data.Cleaning.Pii;

/// <summary>E-mail addresses: local part, '@', a dotted domain with a letter TLD; Chinese text may touch either end.</summary>
public static partial class EmailAddress
{
    public static IEnumerable<(int Start, int Length)> Find(string text)
    {
        if (!text.Contains('@')) yield break;
        for (var match = Pattern().Match(text); match.Success; match = match.NextMatch())
            yield return (match.Index, match.Length);
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9._%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
