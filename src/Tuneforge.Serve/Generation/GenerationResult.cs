namespace Tuneforge.Serve.Generation;

/// <summary>Why a job's generation ended.</summary>
public enum GenerationFinish
{
    /// <summary>The model ended its turn (an end-of-sequence token) or the text reached a stop string.</summary>
    Stop,
    /// <summary>max_tokens was reached.</summary>
    Length,
    /// <summary>The client went away or the request timed out; the text is partial.</summary>
    Cancelled,
}

/// <summary>A finished job.</summary>
/// <param name="Text">The generated text, cut before a stop string, without the end-of-sequence token.</param>
/// <param name="CompletionTokens">Tokens generated (the end-of-sequence token included, as OpenAI counts).</param>
/// <param name="QueueTime">From submission until the job entered a batch.</param>
/// <param name="TimeToFirstToken">From submission until the first generated token; null if there was none.</param>
/// <param name="Duration">From submission until the end.</param>
/// <param name="TokenIds">The generated ids (the end-of-sequence id included) when the backend reports them, else empty.</param>
public sealed record GenerationResult(
    string Text,
    GenerationFinish Finish,
    int PromptTokens,
    int CompletionTokens,
    TimeSpan QueueTime,
    TimeSpan? TimeToFirstToken,
    TimeSpan Duration,
    IReadOnlyList<int> TokenIds);
