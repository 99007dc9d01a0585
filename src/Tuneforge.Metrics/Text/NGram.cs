namespace Tuneforge.Metrics.Text;

/// <summary>A view of <c>Length</c> consecutive tokens; equal when the tokens are equal (like a Python tuple key).</summary>
internal readonly struct NGram(IReadOnlyList<string> tokens, int start, int length) : IEquatable<NGram>
{
    public int Length => length;

    public bool Equals(NGram other)
    {
        if (other.Length != length) return false;
        for (int i = 0; i < length; i++)
            if (!string.Equals(tokens[start + i], other.Token(i), StringComparison.Ordinal)) return false;
        return true;
    }

    public override bool Equals(object? obj) => obj is NGram other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (int i = 0; i < length; i++) hash.Add(tokens[start + i], StringComparer.Ordinal);
        return hash.ToHashCode();
    }

    private string Token(int i) => tokens[start + i];

    /// <summary>Counts every n-gram of orders <paramref name="minOrder"/>..<paramref name="maxOrder"/>.</summary>
    public static Dictionary<NGram, int> CountAll(IReadOnlyList<string> tokens, int minOrder, int maxOrder)
    {
        var counts = new Dictionary<NGram, int>();
        for (int n = minOrder; n <= maxOrder; n++)
            for (int i = 0; i + n <= tokens.Count; i++)
            {
                var key = new NGram(tokens, i, n);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        return counts;
    }
}
