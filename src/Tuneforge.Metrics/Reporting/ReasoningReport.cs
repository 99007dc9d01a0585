using System.Text.Json.Serialization;
using Tuneforge.Metrics.Predictions;

namespace Tuneforge.Metrics.Reporting;

/// <summary>How one system's answers used the think block: reasoning in it, an empty block, or no block.</summary>
public sealed record ThinkBlocks(
    [property: JsonPropertyName("with_reasoning")] int WithReasoning,
    [property: JsonPropertyName("empty")] int Empty,
    [property: JsonPropertyName("none")] int None)
{
    public static ThinkBlocks Of(IEnumerable<string?> reasoning)
    {
        var texts = reasoning.ToList();
        var with = texts.Count(r => !string.IsNullOrWhiteSpace(r));
        var none = texts.Count(r => r is null);
        return new ThinkBlocks(with, texts.Count - with - none, none);
    }

    /// <summary>The answers counted.</summary>
    [JsonIgnore]
    public int Count => WithReasoning + Empty + None;

    public string Describe() => $"{WithReasoning} of {Count} reason ({Empty} empty, {None} without a block)";
}

/// <summary>Whether the tuned model still reasons (an R1 model trained to close an empty block at once stops): the
/// think blocks of the tuned and base answers. Null in a report when no answer has a think block at all.</summary>
public sealed record ReasoningReport(
    [property: JsonPropertyName("tuned")] ThinkBlocks Tuned,
    [property: JsonPropertyName("base")] ThinkBlocks? Base)
{
    public static ReasoningReport? Of(IReadOnlyList<PredictionRecord> records)
    {
        var hasBase = records.Count > 0 && records[0].BasePrediction is not null;
        if (records.All(r => r.Reasoning is null && r.BaseReasoning is null)) return null;
        return new ReasoningReport(ThinkBlocks.Of(records.Select(r => r.Reasoning)), hasBase ? ThinkBlocks.Of(records.Select(r => r.BaseReasoning)) : null);
    }

    /// <summary>The report's line: <c>Think blocks: tuned 12 of 60 reason (48 empty, 0 without a block); base …</c>.</summary>
    public string Describe() => $"Think blocks: tuned {Tuned.Describe()}" + (Base is { } b ? $"; base {b.Describe()}" : "");

    /// <summary>The build's summary pair: <c>("reasoning", "12/60 (base 0/60)")</c>.</summary>
    public (string Key, string Value) Pair() =>
        ("reasoning", $"{Tuned.WithReasoning}/{Tuned.Count}" + (Base is { } b ? $" (base {b.WithReasoning}/{b.Count})" : ""));
}
