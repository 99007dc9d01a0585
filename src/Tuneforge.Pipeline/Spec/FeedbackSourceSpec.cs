using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Tuneforge.Pipeline.Spec;

/// <summary>data.feedback: Serve's rated answers read straight from its SQLite store, as the export writes them (docs/serve.md).</summary>
public sealed record FeedbackSourceSpec
{
    [Description("Serve's feedback store, relative to the repository root (Serve writes artifacts/<pipeline>/serve/feedback.db); its content is part of Clean's key.")]
    public string Database { get; init; } = "";

    [Description("Lowest rating (1-5) that makes an uncorrected answer a train record, or a desirable one with preferences; corrections always enter.")]
    [Range(1, 5)]
    public int MinRating { get; init; } = 4;

    [Description("Every rated answer enters, labelled for KTO (label: rating >= min_rating); corrections as chosen/rejected pairs.")]
    public bool Preferences { get; init; }

    [Description("Keep the model's <think> reasoning in the answers that enter.")]
    public bool WithReasoning { get; init; }
}
