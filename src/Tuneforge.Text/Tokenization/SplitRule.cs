using System.Text.RegularExpressions;

namespace Tuneforge.Text;

/// <summary>
/// One regex step of a Hugging Face pre-tokenizer (<c>Split</c>, or <c>ByteLevel</c> with <c>use_regex</c>),
/// applied to each piece independently as Hugging Face does.
/// </summary>
internal sealed class SplitRule
{
    private readonly Regex _regex;

    public SplitRule(Regex regex, SplitBehavior behavior, bool invert, string source)
    {
        _regex = regex;
        Behavior = behavior;
        Invert = invert;
        Source = source;
    }

    public SplitBehavior Behavior { get; }

    public bool Invert { get; }

    /// <summary>The pattern as written in tokenizer.json (used to recognize known pre-tokenizers).</summary>
    public string Source { get; }

    /// <summary>Splits <paramref name="text"/>[start, start+length) and appends the non-empty pieces.</summary>
    public void Split(string text, int start, int length, List<(int Offset, int Length)> output)
    {
        if (Behavior == SplitBehavior.Isolated)
        {
            SplitIsolated(text.AsSpan(start, length), start, output);
            return;
        }

        var marks = new List<(int Start, int End, bool IsMatch)>();
        FindMatches(text.AsSpan(start, length), marks);
        foreach ((int pieceStart, int pieceEnd, bool keep) in ApplyBehavior(marks))
        {
            if (keep && pieceEnd > pieceStart)
            {
                output.Add((start + pieceStart, pieceEnd - pieceStart));
            }
        }
    }

    // The common case (every known model): matches and gaps all become pieces, with no intermediate lists.
    private void SplitIsolated(ReadOnlySpan<char> piece, int start, List<(int Offset, int Length)> output)
    {
        using CodePointShadow? shadow = CodePointShadow.CreateIfNeeded(piece);
        ReadOnlySpan<char> input = shadow is null ? piece : shadow.Text;
        int previous = 0;
        foreach (ValueMatch match in _regex.EnumerateMatches(input))
        {
            int matchStart = shadow?.OriginalOffset(match.Index) ?? match.Index;
            int matchEnd = shadow?.OriginalOffset(match.Index + match.Length) ?? match.Index + match.Length;
            if (matchStart != previous)
            {
                output.Add((start + previous, matchStart - previous));
            }

            if (matchEnd > matchStart)
            {
                output.Add((start + matchStart, matchEnd - matchStart));
            }

            previous = matchEnd;
        }

        if (previous != piece.Length)
        {
            output.Add((start + previous, piece.Length - previous));
        }
    }

    // Matches and the gaps between them, in order, as Hugging Face's Pattern::find_matches returns them.
    private void FindMatches(ReadOnlySpan<char> piece, List<(int Start, int End, bool IsMatch)> marks)
    {
        using CodePointShadow? shadow = CodePointShadow.CreateIfNeeded(piece);
        ReadOnlySpan<char> input = shadow is null ? piece : shadow.Text;
        int previous = 0;
        foreach (ValueMatch match in _regex.EnumerateMatches(input))
        {
            int matchStart = shadow?.OriginalOffset(match.Index) ?? match.Index;
            int matchEnd = shadow?.OriginalOffset(match.Index + match.Length) ?? match.Index + match.Length;
            if (matchStart != previous)
            {
                marks.Add((previous, matchStart, Invert));
            }

            marks.Add((matchStart, matchEnd, !Invert));
            previous = matchEnd;
        }

        if (previous != piece.Length)
        {
            marks.Add((previous, piece.Length, Invert));
        }
    }

    // Returns (start, end, keep) in order; mirrors Hugging Face's NormalizedString::split.
    private List<(int Start, int End, bool Keep)> ApplyBehavior(List<(int Start, int End, bool IsMatch)> marks)
    {
        var pieces = new List<(int Start, int End, bool Keep)>(marks.Count);
        switch (Behavior)
        {
            case SplitBehavior.Isolated:
                foreach (var (s, e, _) in marks)
                {
                    pieces.Add((s, e, true));
                }

                break;
            case SplitBehavior.Removed:
                foreach (var (s, e, isMatch) in marks)
                {
                    pieces.Add((s, e, !isMatch));
                }

                break;
            case SplitBehavior.Contiguous:
                MergeRuns(marks, pieces, (isMatch, previousMatch) => isMatch == previousMatch);
                break;
            case SplitBehavior.MergedWithPrevious:
                MergeRuns(marks, pieces, (isMatch, previousMatch) => isMatch && !previousMatch);
                break;
            case SplitBehavior.MergedWithNext:
                var reversed = new List<(int Start, int End, bool IsMatch)>(marks);
                reversed.Reverse();
                var merged = new List<(int Start, int End, bool Keep)>(marks.Count);
                bool previous = false;
                foreach (var (s, e, isMatch) in reversed)
                {
                    if (isMatch && !previous && merged.Count > 0)
                    {
                        merged[^1] = (s, merged[^1].End, true);
                    }
                    else
                    {
                        merged.Add((s, e, true));
                    }

                    previous = isMatch;
                }

                merged.Reverse();
                pieces.AddRange(merged);
                break;
        }

        return pieces;
    }

    private static void MergeRuns(
        List<(int Start, int End, bool IsMatch)> marks,
        List<(int Start, int End, bool Keep)> pieces,
        Func<bool, bool, bool> joinsPrevious)
    {
        bool previous = false;
        foreach (var (s, e, isMatch) in marks)
        {
            if (joinsPrevious(isMatch, previous) && pieces.Count > 0)
            {
                pieces[^1] = (pieces[^1].Start, e, true);
            }
            else
            {
                pieces.Add((s, e, true));
            }

            previous = isMatch;
        }
    }
}
