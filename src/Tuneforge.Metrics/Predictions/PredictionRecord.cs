using System.Text.Json.Serialization;

namespace Tuneforge.Metrics.Predictions;

/// <summary>One line of <c>predictions.jsonl</c>: a test example, the tuned model's answer and optionally the base model's.
/// Token counts are optional (predictions made elsewhere, by vLLM or an API, may not have them): lengths in model tokens are then n/a.
/// <see cref="Source"/> is the test record's source (its data file), when the engine wrote it. <see cref="Reasoning"/> and
/// <see cref="BaseReasoning"/> are the text of the answers' think blocks: null when an answer has none, "" when it is empty.</summary>
public sealed record PredictionRecord(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("prompt")] string Prompt,
    [property: JsonPropertyName("reference")] string Reference,
    [property: JsonPropertyName("prediction")] string Prediction,
    [property: JsonPropertyName("base_prediction")] string? BasePrediction,
    [property: JsonPropertyName("prompt_tokens")] int? PromptTokens,
    [property: JsonPropertyName("completion_tokens")] int? CompletionTokens,
    [property: JsonPropertyName("base_completion_tokens")] int? BaseCompletionTokens,
    [property: JsonPropertyName("source")] string? Source = null,
    [property: JsonPropertyName("reasoning")] string? Reasoning = null,
    [property: JsonPropertyName("base_reasoning")] string? BaseReasoning = null)
{
    /// <summary>The category given to records whose line has none.</summary>
    public const string Uncategorized = "uncategorized";
}
