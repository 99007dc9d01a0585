using Tuneforge.Text;

namespace Tuneforge.Data.Feedback;

/// <summary>A response the server gave, kept so that feedback on it can become a training record.</summary>
/// <param name="Id">The response id clients saw (<c>chatcmpl-…</c>, <c>gen-…</c>).</param>
/// <param name="Messages">The conversation the model answered (system, user and earlier assistant turns).</param>
/// <param name="Reasoning">The <c>&lt;think&gt;</c> content, when the model wrote one.</param>
public sealed record StoredCompletion(
    string Id,
    DateTimeOffset Created,
    string Model,
    string Route,
    IReadOnlyList<ChatMessage> Messages,
    string Answer,
    string? Reasoning,
    string FinishReason,
    int PromptTokens,
    int CompletionTokens);

/// <summary>What a person said about a response.</summary>
/// <param name="Rating">1 (bad) to 5 (good).</param>
/// <param name="Correction">A better answer, written by the person; exported in place of the model's.</param>
public sealed record FeedbackEntry(string ResponseId, int Rating, string? Comment, string? Correction);

/// <summary>The latest feedback on a response, with the response.</summary>
public sealed record RatedCompletion(StoredCompletion Completion, long FeedbackId, int Rating, string? Comment, string? Correction, DateTimeOffset Rated);
