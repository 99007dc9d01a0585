namespace Tuneforge.Serve.Generation;

/// <summary>
/// Finds stop strings in text that arrives in pieces. Text that could still become a stop string is held back, so a
/// client never receives the first half of a stop string (as OpenAI's API behaves).
/// </summary>
public sealed class StopStringMatcher(IReadOnlyList<string> stops)
{
    private string _held = "";

    /// <summary>True once a stop string was found; later pieces are ignored.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Takes the next piece of text and returns what can be passed on now.</summary>
    public string Push(string piece)
    {
        if (Stopped) return "";
        if (stops.Count == 0) return piece;
        var text = _held + piece;
        var cut = -1;
        foreach (var stop in stops)
        {
            var at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut)) cut = at;
        }
        if (cut >= 0)
        {
            Stopped = true;
            _held = "";
            return text[..cut];
        }
        var hold = LongestSuffixStartingAStop(text);
        _held = text[^hold..];
        return text[..^hold];
    }

    /// <summary>The held-back text, once generation ended without reaching a stop string.</summary>
    public string Flush()
    {
        var rest = Stopped ? "" : _held;
        _held = "";
        return rest;
    }

    private int LongestSuffixStartingAStop(string text)
    {
        var longest = 0;
        foreach (var stop in stops)
        {
            for (var length = Math.Min(stop.Length - 1, text.Length); length > longest; length--)
            {
                if (text.AsSpan(text.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }
        return longest;
    }
}
