namespace Tuneforge.Serve.Torch;

/// <summary>
/// Turns one sequence's generated ids into text pieces. Ids are decoded in runs that end on a whole character: a
/// byte-level token can hold part of a UTF-8 character, which decodes as U+FFFD until the rest arrives.
/// </summary>
internal sealed class IncrementalDetokenizer(Func<IReadOnlyList<int>, string> decode)
{
    // A run that still ends in U+FFFD after this many ids is a real replacement character, not a split one.
    private const int MaxIncompleteRun = 8;
    private readonly List<int> _run = [];

    public string Push(int id)
    {
        _run.Add(id);
        var text = decode(_run);
        if (text.EndsWith('\uFFFD') && _run.Count < MaxIncompleteRun) return "";
        _run.Clear();
        return text;
    }
}
