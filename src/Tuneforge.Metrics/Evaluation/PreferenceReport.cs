using static Tuneforge.Metrics.Evaluation.Figures;
using System.Text.Json.Serialization;

namespace Tuneforge.Metrics.Evaluation;

/// <summary>One model's reward accuracy and mean margin on the held-out pairs, with their bootstrap intervals.</summary>
public sealed record PreferenceSide(
    [property: JsonPropertyName("reward_accuracy")] double RewardAccuracy,
    [property: JsonPropertyName("reward_accuracy_ci")] IReadOnlyList<double> RewardAccuracyInterval,
    [property: JsonPropertyName("mean_margin")] double MeanMargin,
    [property: JsonPropertyName("mean_margin_ci")] IReadOnlyList<double> MeanMarginInterval)
{
    public static PreferenceSide Of(PreferenceScores scores) => new(scores.RewardAccuracy, [scores.AccuracyInterval.Low, scores.AccuracyInterval.High],
        scores.MeanMargin, [scores.MarginInterval.Low, scores.MarginInterval.High]);
}

/// <summary>
/// PreferenceTrain's preference_metrics.json, which Evaluate carries into metrics.json and the report: the val split's
/// pairs scored by the adapter written ("tuned") and the one training started from ("start": Train's adapter, or a
/// fresh one, which is the base), with the paired differences as [delta, low, high].
/// </summary>
public sealed record PreferenceReport(
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("start_from")] string StartFrom,
    [property: JsonPropertyName("val_pairs")] int ValPairs,
    [property: JsonPropertyName("tuned")] PreferenceSide? Tuned,
    [property: JsonPropertyName("start")] PreferenceSide? Start,
    [property: JsonPropertyName("accuracy_delta")] IReadOnlyList<double>? AccuracyDelta,
    [property: JsonPropertyName("margin_delta")] IReadOnlyList<double>? MarginDelta)
{
    [JsonPropertyName("reward")]
    public string Reward => "beta * (log p_policy - log p_reference), reference = the base with the adapter off";

    public static PreferenceReport Of(string method, string startFrom, PreferenceComparison? comparison) => comparison is null
        ? new(method, startFrom, 0, null, null, null, null)
        : new(method, startFrom, comparison.Pairs, PreferenceSide.Of(comparison.Tuned), PreferenceSide.Of(comparison.Base),
            [comparison.AccuracyDelta.Delta, comparison.AccuracyDelta.Low, comparison.AccuracyDelta.High],
            [comparison.MarginDelta.Delta, comparison.MarginDelta.Low, comparison.MarginDelta.High]);

    /// <summary>The result in sentences, for the reports.</summary>
    public string Describe()
    {
        var start = StartFrom == "sft" ? "Train's SFT adapter" : "the base";
        if (Tuned is not { } tuned || Start is not { } before)
            return $"{Method.ToUpperInvariant()} from {start}: the val split held no preference pairs, so nothing was measured.";
        return $"{Method.ToUpperInvariant()} from {start}, on the {ValPairs} held-out pairs of the val split: reward accuracy " +
               $"{Fixed(before.RewardAccuracy)} {Interval(before.RewardAccuracyInterval)} → {Fixed(tuned.RewardAccuracy)} {Interval(tuned.RewardAccuracyInterval)} " +
               $"(difference {Signed(AccuracyDelta![0])} {Interval(AccuracyDelta.Skip(1).ToList())}), mean margin chosen − rejected " +
               $"{Fixed(before.MeanMargin)} → {Fixed(tuned.MeanMargin)} (difference {Signed(MarginDelta![0])} {Interval(MarginDelta.Skip(1).ToList())}).";
    }

    static string Signed(double value) => (value >= 0 ? "+" : "") + Fixed(value);

    static string Interval(IReadOnlyList<double> bounds) => $"[{Fixed(bounds[0])}, {Fixed(bounds[1])}]";
}
