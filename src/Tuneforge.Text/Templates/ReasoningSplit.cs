namespace Tuneforge.Text;

/// <summary>A generated (or written) answer cut into its reasoning and its final answer.</summary>
/// <param name="Reasoning">The text inside <c>&lt;think&gt;…&lt;/think&gt;</c> without surrounding newlines, or null if there is none.</param>
/// <param name="Answer">What follows the reasoning, leading newlines removed.</param>
/// <param name="IsComplete">False when the reasoning was opened but never closed (generation stopped inside it).</param>
public sealed record ReasoningSplit(string? Reasoning, string Answer, bool IsComplete);

/// <summary>Cutting any text (an API's answer, a data record) into reasoning and answer.</summary>
public static class ReasoningSplitter
{
    /// <summary>The inline <c>&lt;think&gt;…&lt;/think&gt;</c> block of a text, if any, and the answer after it.</summary>
    public static ReasoningSplit Split(string text) => ReasoningText.Split(text, thinkOpenedByPrompt: false);
}
