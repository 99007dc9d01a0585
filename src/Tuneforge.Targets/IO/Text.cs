namespace Tuneforge.Targets;

internal static class Text
{
    /// <summary>The closest known name when it is a plausible typo.</summary>
    public static string? DidYouMean(string wrong, IEnumerable<string> known)
    {
        var best = known.Select(k => (k, d: Distance(ArgumentParser.Normalize(wrong), ArgumentParser.Normalize(k))))
            .OrderBy(x => x.d).ThenBy(x => x.k, StringComparer.Ordinal).FirstOrDefault();
        return best.k is not null && best.d <= Math.Max(2, wrong.Length / 3) ? best.k : null;
    }

    static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
