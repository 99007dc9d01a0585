namespace Tuneforge.Pipeline.Loading;

/// <summary>Suggests the closest known name for a misspelled one (Damerau-Levenshtein distance).</summary>
public static class DidYouMean
{
    public static string? Suggest(string wrong, IEnumerable<string> known)
    {
        var best = known
            .Select(k => (Name: k, Distance: Distance(wrong.ToLowerInvariant(), k.ToLowerInvariant())))
            .OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        // Allow roughly one edit per three characters: close enough to be a typo, far enough to avoid nonsense.
        return best.Name is not null && best.Distance <= Math.Max(2, wrong.Length / 3) ? best.Name : null;
    }

    public static string Hint(string wrong, IEnumerable<string> known) =>
        Suggest(wrong, known) is { } s ? $" Did you mean '{s}'?" : "";

    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
        {
            var cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[a.Length, b.Length];
    }
}
