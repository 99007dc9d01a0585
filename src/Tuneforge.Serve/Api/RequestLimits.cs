namespace Tuneforge.Serve.Api;

/// <summary>What a request may ask for on this server.</summary>
/// <param name="MaxTokens">The largest max_tokens (or /generate's max_length).</param>
/// <param name="MaxPromptTokens">The longest prompt after the chat template.</param>
/// <param name="ContextLength">Prompt plus generated tokens must fit in this.</param>
internal sealed record RequestLimits(int MaxTokens, int MaxPromptTokens, int ContextLength, int DefaultMaxTokens)
{
    public const int MaxStopStrings = 16;
    public const int MaxMessages = 4096;
}
