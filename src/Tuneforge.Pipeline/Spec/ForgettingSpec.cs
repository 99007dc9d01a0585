using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Tuneforge.Pipeline.Spec;

/// <summary>The forgetting check: perplexity of base and tuned on general text that neither was trained on. A tuned
/// model that lost its general language shows it here before any task metric does (gate forgetting_ppl_ratio).</summary>
public sealed record ForgettingSpec
{
    /// <summary>The shipped held-out set (data/general/PROVENANCE.md).</summary>
    public static readonly IReadOnlyList<string> ShippedTexts = ["data/general/heldout-zh.jsonl", "data/general/heldout-en.jsonl"];

    [Description("JSON-lines files of general text, one {\"text\": ...} document per line, relative to the repository; [] turns the check off. Default: data/general's held-out Chinese and English (never seen by the shipped base).")]
    public List<string> Texts { get; init; } = [.. ShippedTexts];

    [Description("Documents measured at most, spread evenly over all files (0 = all).")]
    [Range(0, int.MaxValue)]
    public int MaxDocuments { get; init; } = 64;

    [Description("Tokens of each document measured at most (its start).")]
    [Range(2, 1 << 20)]
    public int MaxTokens { get; init; } = 256;
}
