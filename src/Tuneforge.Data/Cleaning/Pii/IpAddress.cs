using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Tuneforge.Data.Cleaning.Pii;

/// <summary>IPv4 (four parts 0–255, not part of a longer dotted number or a "v1.2.3.4" version) and IPv6
/// (parsed by <see cref="IPAddress"/>; at least two groups and one of 3–4 hex digits, so "a::b" in code is not one).</summary>
public static partial class IpAddress
{
    public static IEnumerable<(int Start, int Length)> Find(string text)
    {
        for (var match = V4().Match(text); match.Success; match = match.NextMatch())
            if (match.Index == 0 || text[match.Index - 1] is not ('v' or 'V'))
                yield return (match.Index, match.Length);
        for (var match = V6Candidate().Match(text); match.Success; match = match.NextMatch())
            if (IsV6(match.Value))
                yield return (match.Index, match.Length);
    }

    static bool IsV6(string candidate)
    {
        var groups = candidate.Split(':', StringSplitOptions.RemoveEmptyEntries);
        if (groups.Length < 2 || !groups.Any(g => g.Length >= 3)) return false;
        if (!candidate.Contains("::", StringComparison.Ordinal) && groups.Length != 8) return false;
        return IPAddress.TryParse(candidate, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    [GeneratedRegex(@"(?<![0-9.])(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?![0-9]|\.[0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex V4();

    [GeneratedRegex(@"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])", RegexOptions.CultureInvariant)]
    private static partial Regex V6Candidate();
}
