using Tuneforge.Metrics.Predictions;
using Tuneforge.Metrics.Reporting;

namespace Tuneforge.Reports.Examples;

/// <summary>An example with its texts and scores, for the side-by-side tables.</summary>
public sealed record ShownExample(PredictionRecord Record, ExampleScores Scores);

/// <summary>Picks the weakest and strongest examples by the tuned model's ROUGE-L (ties: lower id first).</summary>
public static class ExampleSelection
{
    public static IReadOnlyList<ShownExample> Weakest(ReportInputView view, int count) =>
        view.Examples.OrderBy(e => e.Scores.Tuned.RougeL).ThenBy(e => e.Record.Id, StringComparer.Ordinal).Take(count).ToList();

    public static IReadOnlyList<ShownExample> Strongest(ReportInputView view, int count) =>
        view.Examples.OrderByDescending(e => e.Scores.Tuned.RougeL).ThenBy(e => e.Record.Id, StringComparer.Ordinal).Take(count).ToList();
}

/// <summary>Predictions joined to their scores by id; an id missing on either side is an error naming it.</summary>
public sealed class ReportInputView
{
    public ReportInputView(MetricsReport metrics, IReadOnlyList<PredictionRecord> predictions)
    {
        var byId = predictions.ToDictionary(p => p.Id, StringComparer.Ordinal);
        Examples = metrics.Examples.Select(scores => byId.TryGetValue(scores.Id, out var record)
            ? new ShownExample(record, scores)
            : throw new ArgumentException($"example \"{scores.Id}\" is in metrics but not in the predictions: pass the predictions.jsonl the metrics were computed from"))
            .ToList();
    }

    public IReadOnlyList<ShownExample> Examples { get; }
}
