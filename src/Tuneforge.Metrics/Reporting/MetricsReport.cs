using System.Text.Json.Serialization;
using Tuneforge.Metrics.Gates;
using Tuneforge.Metrics.Statistics;

namespace Tuneforge.Metrics.Reporting;

/// <summary>Answer lengths: in characters (code points) and in tokens as ROUGE counts them, plus the model's own token counts
/// (null when a line of the predictions has none).</summary>
public sealed record LengthStatistics(
    [property: JsonPropertyName("reference_chars")] DistributionSummary ReferenceChars,
    [property: JsonPropertyName("reference_tokens")] DistributionSummary ReferenceTokens,
    [property: JsonPropertyName("prediction_chars")] DistributionSummary PredictionChars,
    [property: JsonPropertyName("prediction_tokens")] DistributionSummary PredictionTokens,
    [property: JsonPropertyName("prediction_completion_tokens")] DistributionSummary? PredictionCompletionTokens,
    [property: JsonPropertyName("base_chars")] DistributionSummary? BaseChars,
    [property: JsonPropertyName("base_tokens")] DistributionSummary? BaseTokens,
    [property: JsonPropertyName("base_completion_tokens")] DistributionSummary? BaseCompletionTokens);

/// <summary>Metrics of a set of examples: all of them (<see cref="Category"/> and <see cref="Source"/> null), one
/// category, or one source.</summary>
public sealed record GroupReport(
    [property: JsonPropertyName("category")] string? Category,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("tuned")] MetricSet Tuned,
    [property: JsonPropertyName("base")] MetricSet? Base,
    [property: JsonPropertyName("deltas")] IReadOnlyList<MetricDelta>? Deltas,
    [property: JsonPropertyName("lengths")] LengthStatistics Lengths)
{
    /// <summary>The source of a per-source group (the test records' data file); null otherwise.</summary>
    [JsonPropertyName("source")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Source { get; init; }

    /// <summary>The group's name in tables: its category or source, null for all examples.</summary>
    [JsonIgnore]
    public string? Name => Source ?? Category;
}

/// <summary>Per-example scores of one system: sentence-level metrics (sentence BLEU uses effective order).</summary>
public sealed record ExampleMetrics(
    [property: JsonPropertyName("rouge1")] double Rouge1,
    [property: JsonPropertyName("rouge2")] double Rouge2,
    [property: JsonPropertyName("rougeL")] double RougeL,
    [property: JsonPropertyName("rougeLsum")] double RougeLsum,
    [property: JsonPropertyName("bleu")] double Bleu,
    [property: JsonPropertyName("chrf")] double Chrf,
    [property: JsonPropertyName("exact_match")] double ExactMatch,
    [property: JsonPropertyName("chars")] int Chars,
    [property: JsonPropertyName("tokens")] int Tokens);

/// <summary>One example's scores, tuned and (if generated) base.</summary>
public sealed record ExampleScores(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("tuned")] ExampleMetrics Tuned,
    [property: JsonPropertyName("base")] ExampleMetrics? Base);

/// <summary>Bootstrap settings as recorded in the report.</summary>
public sealed record BootstrapSettings(
    [property: JsonPropertyName("samples")] int Samples,
    [property: JsonPropertyName("seed")] ulong Seed,
    [property: JsonPropertyName("confidence")] double Confidence);

/// <summary>How the numbers were computed, so that they can be reproduced or compared.</summary>
public sealed record ScoringSettings(
    [property: JsonPropertyName("rouge_tokenizer")] string RougeTokenizer,
    [property: JsonPropertyName("rouge_stemmer")] bool RougeStemmer,
    [property: JsonPropertyName("bleu")] string Bleu,
    [property: JsonPropertyName("chrf")] string Chrf,
    [property: JsonPropertyName("chrf_pp")] string ChrfPlusPlus,
    [property: JsonPropertyName("exact_match")] string ExactMatch,
    [property: JsonPropertyName("bootstrap")] BootstrapSettings Bootstrap);

/// <summary>The file that was scored.</summary>
public sealed record ScoredSource(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("sha256")] string? Sha256,
    [property: JsonPropertyName("examples")] int Examples,
    [property: JsonPropertyName("has_base")] bool HasBase);

/// <summary>Everything <c>metrics.json</c> holds: overall, per-category and (when the test split has several sources)
/// per-source metrics, base and deltas with intervals, gates, per-example scores.</summary>
public sealed record MetricsReport(
    [property: JsonPropertyName("schema")] string Schema,
    [property: JsonPropertyName("source")] ScoredSource Source,
    [property: JsonPropertyName("settings")] ScoringSettings Settings,
    [property: JsonPropertyName("overall")] GroupReport Overall,
    [property: JsonPropertyName("categories")] IReadOnlyList<GroupReport> Categories,
    [property: JsonPropertyName("gates")] GateReport? Gates,
    [property: JsonPropertyName("examples")] IReadOnlyList<ExampleScores> Examples)
{
    /// <summary>Per source, when the scored records came from more than one; null otherwise.</summary>
    [JsonPropertyName("sources")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<GroupReport>? Sources { get; init; }

    /// <summary>The answers' think blocks, when any answer has one; null otherwise.</summary>
    [JsonPropertyName("reasoning")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReasoningReport? Reasoning { get; init; }

    /// <summary>The LLM judge's comparison of tuned and base answers, when Judge ran; null otherwise.</summary>
    [JsonPropertyName("judge")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Evaluation.JudgeScores? Judge { get; init; }

    /// <summary>PreferenceTrain's reward accuracy and margin on the val pairs, when the pipeline preference-tunes; null otherwise.</summary>
    [JsonPropertyName("preference")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Evaluation.PreferenceReport? Preference { get; init; }

    /// <summary>The schema identifier written into every report.</summary>
    public const string CurrentSchema = "tuneforge.metrics/1";
}
