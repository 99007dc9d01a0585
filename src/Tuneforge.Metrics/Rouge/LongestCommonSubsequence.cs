namespace Tuneforge.Metrics.Rouge;

/// <summary>Longest common subsequence of token lists, as rouge_score computes it (same table, same backtrack).</summary>
internal static class LongestCommonSubsequence
{
    /// <summary>The length of the LCS, in O(|b|) memory.</summary>
    public static int Length<T>(IReadOnlyList<T> a, IReadOnlyList<T> b)
    {
        if (a.Count == 0 || b.Count == 0) return 0;
        var comparer = EqualityComparer<T>.Default;
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        for (int i = 1; i <= a.Count; i++)
        {
            var token = a[i - 1];
            for (int j = 1; j <= b.Count; j++)
                current[j] = comparer.Equals(token, b[j - 1]) ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            (previous, current) = (current, previous);
        }
        return previous[b.Count];
    }

    /// <summary>Indices into <paramref name="reference"/> of one LCS, chosen as rouge_score's backtrack chooses.</summary>
    public static List<int> ReferenceIndices<T>(IReadOnlyList<T> reference, IReadOnlyList<T> candidate)
    {
        var comparer = EqualityComparer<T>.Default;
        int rows = reference.Count, cols = candidate.Count;
        var table = new int[rows + 1, cols + 1];
        for (int i = 1; i <= rows; i++)
            for (int j = 1; j <= cols; j++)
                table[i, j] = comparer.Equals(reference[i - 1], candidate[j - 1])
                    ? table[i - 1, j - 1] + 1
                    : Math.Max(table[i - 1, j], table[i, j - 1]);

        var indices = new List<int>();
        int r = rows, c = cols;
        while (r > 0 && c > 0)
        {
            if (comparer.Equals(reference[r - 1], candidate[c - 1]))
            {
                indices.Add(r - 1);
                r--;
                c--;
            }
            else if (table[r, c - 1] > table[r - 1, c]) c--;
            else r--;
        }
        indices.Reverse();
        return indices;
    }

    /// <summary>The union LCS of one reference sentence against every candidate sentence, as reference tokens in order.</summary>
    public static List<T> Union<T>(IReadOnlyList<T> reference, IEnumerable<IReadOnlyList<T>> candidates)
    {
        var union = new SortedSet<int>();
        foreach (var candidate in candidates) union.UnionWith(ReferenceIndices(reference, candidate));
        return union.Select(i => reference[i]).ToList();
    }
}
