namespace Tuneforge.Text;

/// <summary>Reading and writing the <c>&lt;think&gt;…&lt;/think&gt;</c> block that R1-style models put before an answer.</summary>
internal static class ReasoningText
{
    public const string Open = "<think>";
    public const string Close = "</think>";

    /// <summary>The block before an answer: <c>&lt;think&gt;\n{reasoning}\n&lt;/think&gt;\n\n</c> (empty reasoning gives R1's empty block).</summary>
    public static string Block(string? reasoning) => $"{Open}\n{(reasoning ?? "").Trim('\n')}\n{Close}\n\n";

    public static ReasoningSplit Split(string text, bool thinkOpenedByPrompt)
    {
        int close = text.IndexOf(Close, StringComparison.Ordinal);
        if (close >= 0)
        {
            string before = text[..close].TrimStart();
            if (before.StartsWith(Open, StringComparison.Ordinal))
            {
                before = before[Open.Length..];
            }

            return new ReasoningSplit(before.Trim('\n'), text[(close + Close.Length)..].TrimStart('\n'), IsComplete: true);
        }

        string start = text.TrimStart();
        if (start.StartsWith(Open, StringComparison.Ordinal))
        {
            return new ReasoningSplit(start[Open.Length..].Trim('\n'), "", IsComplete: false);
        }

        return thinkOpenedByPrompt
            ? new ReasoningSplit(text.Trim('\n'), "", IsComplete: false)
            : new ReasoningSplit(null, text, IsComplete: true);
    }

    /// <summary>An assistant message's reasoning (null if none) and answer, from its Reasoning property or inline block.</summary>
    public static (string? Reasoning, string Answer) Of(ChatMessage message)
    {
        if (message.Reasoning is not null)
        {
            return (message.Reasoning, message.Content);
        }

        if (message.Content.Contains(Close, StringComparison.Ordinal))
        {
            ReasoningSplit split = Split(message.Content, thinkOpenedByPrompt: false);
            return (split.Reasoning, split.Answer);
        }

        return (null, message.Content);
    }
}
