using Tuneforge.Metrics.Human;
using Tuneforge.Metrics.Predictions;
using Tuneforge.Metrics.Reporting;
using Tuneforge.Protocol;

namespace Tuneforge.Reports.Input;

/// <summary>What a report is made of: the scored metrics, the predictions they were computed from, and the loss history.</summary>
/// <param name="Metrics">The report <c>Scoring.ScoreFile</c> produced.</param>
/// <param name="Predictions">The records of predictions.jsonl, for the example tables (matched to metrics by id).</param>
/// <param name="History">Training and eval loss by step; null or empty leaves the loss plot out.</param>
/// <param name="Title">The report's heading.</param>
/// <param name="ExamplesPerTable">How many weakest and strongest examples to show.</param>
/// <param name="Ratings">Experts' ratings from imported review sheets (data.reviews); null leaves the section out.</param>
public sealed record ReportInput(
    MetricsReport Metrics,
    IReadOnlyList<PredictionRecord> Predictions,
    TrainingHistory? History = null,
    string Title = "Evaluation report",
    int ExamplesPerTable = 20,
    ExpertRatings? Ratings = null);
