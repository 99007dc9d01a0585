namespace Tuneforge.Text.Jinja;

/// <summary>
/// Where each assistant turn lies in a rendered conversation, so that exactly what the model would generate is trained.
/// With <c>{% generation %}</c> blocks (TRL's assistant masks) the blocks are the spans. Otherwise by prefix rendering:
/// a turn starts where the conversation before it, rendered with the generation prompt, ends (the whole rendering must
/// start with that text), and ends after the first end-of-turn marker; for a turn without one (a template's quirk, such
/// as DeepSeek's single tool call), it ends where the rendering of the conversation up to it ends.
/// </summary>
internal static class AssistantSpans
{
    /// <param name="render">Renders the first n messages, with or without the generation prompt.</param>
    public static IReadOnlyList<(int Start, int End)> Find(
        IReadOnlyList<ChatMessage> messages, bool allTurns, string endOfTurn, string origin, Func<int, bool, JinjaRendering> render)
    {
        JinjaRendering full = render(messages.Count, false);
        int[] turns = Enumerable.Range(0, messages.Count).Where(i => messages[i].Role == ChatRoles.Assistant).ToArray();
        if (!allTurns)
        {
            turns = turns[^1..];
        }

        if (full.GenerationSpans.Count > 0)
        {
            return allTurns ? full.GenerationSpans : full.GenerationSpans.TakeLast(1).ToArray();
        }

        string text = full.Text;
        var spans = new List<(int Start, int End)>();
        foreach (int i in turns)
        {
            string prompt = render(i, true).Text;
            if (!text.StartsWith(prompt, StringComparison.Ordinal))
            {
                throw new ChatTemplateException(
                    $"{origin}: the conversation up to message {i}, rendered with the generation prompt, is not how the whole " +
                    $"conversation begins ({Parting(prompt, text)}), so assistant message {i} cannot be located by prefix rendering. " +
                    "Train only the last assistant turn, add {% generation %} markers to the template, or choose a named template.");
            }

            int start = prompt.Length;

            // The conversation up to this turn bounds it, if the template renders it there as in the whole (Qwen3 does
            // not: a last turn gets a think block).
            string upTo = render(i + 1, false).Text;
            bool bounded = upTo.Length > start && text.StartsWith(upTo, StringComparison.Ordinal);
            int limit = bounded ? upTo.Length : text.Length;
            int marker = text.IndexOf(endOfTurn, start, StringComparison.Ordinal);
            int end = marker >= 0 && marker + endOfTurn.Length <= limit ? marker + endOfTurn.Length
                : bounded ? upTo.Length
                : throw new ChatTemplateException(
                    $"{origin}: assistant message {i} has no end-of-turn marker '{endOfTurn}' after it in the rendering, " +
                    "so where its turn ends is unknown. Choose a named template, or add {% generation %} markers to the template.");
            if (spans.Count > 0 && start < spans[^1].End)
            {
                throw new ChatTemplateException($"{origin}: assistant message {i} starts inside the previous assistant turn; its turns cannot be told apart.");
            }

            spans.Add((start, end));
        }

        return spans;
    }

    private static int CommonPrefix(string a, string b)
    {
        int n = Math.Min(a.Length, b.Length);
        int i = 0;
        while (i < n && a[i] == b[i])
        {
            i++;
        }

        return i;
    }

    private static string Parting(string prompt, string text)
    {
        int at = CommonPrefix(prompt, text);
        string Around(string s) => PyOps.ReprString(s.Substring(at, Math.Min(30, s.Length - at)));
        return $"they part at character {at}: {Around(prompt)} against {Around(text)}";
    }
}
