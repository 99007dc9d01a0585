using System.Buffers;

namespace Tuneforge.Text;

/// <summary>
/// Finds added tokens in text, leftmost first and longest at a position, as Hugging Face's added vocabulary does.
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly SearchValues<string>? _anyToken;
    private readonly Dictionary<char, (string Content, int Id)[]> _byFirstChar;

    public AddedTokenMatcher(IEnumerable<AddedToken> tokens)
    {
        AddedToken[] all = tokens.ToArray();
        _anyToken = all.Length == 0 ? null : SearchValues.Create(all.Select(t => t.Content).ToArray(), StringComparison.Ordinal);
        _byFirstChar = all
            .GroupBy(t => t.Content[0])
            .ToDictionary(
                g => g.Key,
                g => g.OrderByDescending(t => t.Content.Length).Select(t => (t.Content, t.Id)).ToArray());
    }

    /// <summary>
    /// Cuts text[start, start+length) into runs of plain text (Id = -1) and added tokens (their id).
    /// </summary>
    public void Split(string text, int start, int length, List<(int Offset, int Length, int Id)> output)
    {
        int end = start + length;
        int position = start;
        while (position < end)
        {
            int found = _anyToken is null ? -1 : text.AsSpan(position, end - position).IndexOfAny(_anyToken);
            if (found < 0)
            {
                break;
            }

            int at = position + found;
            (string content, int id) = LongestAt(text, at, end);
            if (at > position)
            {
                output.Add((position, at - position, -1));
            }

            output.Add((at, content.Length, id));
            position = at + content.Length;
        }

        if (position < end)
        {
            output.Add((position, end - position, -1));
        }
    }

    /// <summary>Whether the text contains any added token.</summary>
    public bool ContainsAny(ReadOnlySpan<char> text) => _anyToken is not null && text.IndexOfAny(_anyToken) >= 0;

    private (string Content, int Id) LongestAt(string text, int at, int end)
    {
        ReadOnlySpan<char> rest = text.AsSpan(at, end - at);
        foreach (var candidate in _byFirstChar[text[at]])
        {
            if (rest.StartsWith(candidate.Content, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"An added token was found at offset {at} but none matches there.");
    }
}
