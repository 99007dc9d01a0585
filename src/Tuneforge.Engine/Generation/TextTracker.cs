namespace Tuneforge.Engine.Generation;

/// <summary>
/// Follows one sequence's decoded text while it grows: yields the newly completed text per token and finds stop
/// strings, holding back a trailing incomplete UTF-8 character (decoded as U+FFFD) until its last byte arrives.
/// </summary>
internal sealed class TextTracker(TokenDecoder decoder, IReadOnlyList<string> stopStrings)
{
    private readonly int _longestStop = stopStrings.Count == 0 ? 0 : stopStrings.Max(s => s.Length);
    private string _emitted = "";

    public string Text => _emitted;

    /// <summary>Decodes <paramref name="ids"/>; returns the new text and whether a stop string was reached (text cut before it).</summary>
    public (string Delta, bool Stopped) Update(IReadOnlyList<int> ids)
    {
        var text = decoder(ids);
        var stable = text.TrimEnd('\uFFFD');
        if (stable.Length <= _emitted.Length || !stable.StartsWith(_emitted, StringComparison.Ordinal))
        {
            // Nothing new completed, or a merge rewrote earlier text: wait for the next token.
            return ("", false);
        }
        var searchFrom = Math.Max(0, _emitted.Length - _longestStop + 1);
        var cut = -1;
        foreach (var stop in stopStrings)
        {
            var at = stable.IndexOf(stop, searchFrom, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut)) cut = at;
        }
        var previous = _emitted;
        if (cut >= 0)
        {
            _emitted = stable[..Math.Max(cut, previous.Length)];
            return (_emitted[previous.Length..], true);
        }
        _emitted = stable;
        return (_emitted[previous.Length..], false);
    }

    /// <summary>The final text of a sequence that ended without a stop string.</summary>
    public string Finish(IReadOnlyList<int> ids)
    {
        _emitted = decoder(ids);
        return _emitted;
    }
}
