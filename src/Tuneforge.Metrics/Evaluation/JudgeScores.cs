using static Tuneforge.Metrics.Evaluation.Figures;
using System.Text.Json.Serialization;
using Tuneforge.Metrics.Statistics;

namespace Tuneforge.Metrics.Evaluation;

/// <summary>What one judging prefers, named by model: the order the answers were shown in is already undone.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JudgePick>))]
public enum JudgePick { Tuned, Base, Tie, Unreadable }

/// <summary>One test question judged twice, tuned shown first and base shown first, with each answer's exact match.</summary>
public sealed record JudgedQuestion(string Id, JudgePick TunedFirst, JudgePick BaseFirst, bool TunedExact, bool BaseExact)
{
    /// <summary>Whether both verdicts could be read.</summary>
    public bool Judged => TunedFirst != JudgePick.Unreadable && BaseFirst != JudgePick.Unreadable;

    /// <summary>Tuned's score over both orders: 1 a win in each, ½ a tie (or one win each way), 0 a loss in each; null unless judged.</summary>
    public double? Score => Judged ? (Points(TunedFirst) + Points(BaseFirst)) / 2 : null;

    static double Points(JudgePick pick) => pick switch { JudgePick.Tuned => 1, JudgePick.Tie => 0.5, _ => 0 };
}

/// <summary>How often the judge picked the answer exact match picks, where exactly one of the two answers is exact.</summary>
public sealed record ExactMatchAgreement(
    [property: JsonPropertyName("decisive")] int Decisive,
    [property: JsonPropertyName("agreed")] int Agreed)
{
    [JsonPropertyName("rate")]
    public double? Rate => Decisive == 0 ? null : Agreed / (double)Decisive;
}

/// <summary>
/// The pairwise judge's result: tuned's win rate over base (ties count ½) with its bootstrap interval, the win/tie/loss
/// counts over questions, and two checks of the judge itself: how often its two verdicts on a question agree
/// (position consistency), and how often a decisive verdict picked whichever answer was shown first (0.5 = no bias).
/// </summary>
public sealed record JudgeScores(
    [property: JsonPropertyName("questions")] int Questions,
    [property: JsonPropertyName("judged")] int Judged,
    [property: JsonPropertyName("unreadable")] int Unreadable,
    [property: JsonPropertyName("wins")] int Wins,
    [property: JsonPropertyName("ties")] int Ties,
    [property: JsonPropertyName("losses")] int Losses,
    [property: JsonPropertyName("win_rate")] double? WinRate,
    [property: JsonPropertyName("win_rate_ci")] IReadOnlyList<double>? WinRateInterval,
    [property: JsonPropertyName("position_consistency")] double? PositionConsistency,
    [property: JsonPropertyName("first_position_rate")] double? FirstPositionRate,
    [property: JsonPropertyName("exact_match_agreement")] ExactMatchAgreement ExactMatchAgreement)
{
    /// <summary>The judge in words (model and endpoint; never a key), for reports.</summary>
    [JsonPropertyName("judge")]
    public string? JudgeName { get; init; }

    public const string FileName = "judge.json";

    /// <summary>The gate that reads <see cref="WinRate"/>.</summary>
    public const string WinRateGate = "judge_win_rate";

    /// <summary>The result in sentences, for the reports.</summary>
    public string Describe()
    {
        var text = $"{JudgeName ?? "The judge"} compared the tuned and the base answer of {Questions} test questions, each in both orders: " +
                   $"tuned won {Wins}, tied {Ties} and lost {Losses}";
        if (Unreadable > 0) text += $"; {Unreadable} got a verdict that could not be read and are left out";
        text += WinRate is { } rate
            ? $". Win rate {Fixed(rate)} [{Fixed(WinRateInterval![0])}, {Fixed(WinRateInterval[1])}] (a tie counts half; 0.50 = as good as base). "
            : ". No verdict could be read, so there is no win rate. ";
        text += $"Both orders agreed on {Fixed(PositionConsistency)} of the questions, and the answer shown first won {Fixed(FirstPositionRate)} of the decisive verdicts (0.50 = no position bias)";
        if (ExactMatchAgreement.Rate is { } agreement)
            text += $"; where exactly one answer matched the reference, the judge preferred it in {ExactMatchAgreement.Agreed} of {ExactMatchAgreement.Decisive} ({Fixed(agreement)})";
        return text + ".";
    }

    public static JudgeScores Of(IReadOnlyList<JudgedQuestion> questions, BootstrapOptions bootstrap)
    {
        var judged = questions.Where(q => q.Judged).ToList();
        var scores = judged.Select(q => q.Score!.Value).ToList();
        DifferenceInterval? winRate = judged.Count == 0 ? null
            : PairedBootstrap.Difference(new MeanMetric(scores), ZeroMetric.Instance, Enumerable.Range(0, judged.Count).ToList(), bootstrap);
        var decisive = questions.SelectMany(q => new[] { (q.TunedFirst, First: JudgePick.Tuned), (q.BaseFirst, First: JudgePick.Base) })
            .Where(v => v.Item1 is JudgePick.Tuned or JudgePick.Base).ToList();
        var separated = judged.Where(q => q.TunedExact != q.BaseExact).ToList();
        return new JudgeScores(
            questions.Count, judged.Count, questions.Count - judged.Count,
            scores.Count(s => s > 0.5), scores.Count(s => s == 0.5), scores.Count(s => s < 0.5),
            winRate?.Delta, winRate is null ? null : [winRate.Low, winRate.High],
            judged.Count == 0 ? null : judged.Count(q => q.TunedFirst == q.BaseFirst) / (double)judged.Count,
            decisive.Count == 0 ? null : decisive.Count(v => v.Item1 == v.First) / (double)decisive.Count,
            new ExactMatchAgreement(separated.Count, separated.Count(q => q.TunedExact ? q.Score > 0.5 : q.Score < 0.5)));
    }
}
