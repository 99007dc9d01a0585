namespace Tuneforge.Serve.Generation;

/// <summary>Facts about a rendered generation prompt.</summary>
public static class PromptText
{
    /// <summary>DeepSeek-R1's generation prompt ends with an open <c>&lt;think&gt;</c>: the model's first text is reasoning.</summary>
    public static bool OpensThink(string renderedPrompt) => renderedPrompt.TrimEnd('\n').EndsWith("<think>", StringComparison.Ordinal);
}
