using System.Text.Json;
using Tuneforge.Metrics;
using Tuneforge.Metrics.Predictions;
using Tuneforge.Metrics.Reporting;
using Tuneforge.Protocol;
using Tuneforge.Reports.Input;

namespace Tuneforge.Reports.Tests;

/// <summary>The fixed inputs of the report tests: TestData/predictions.jsonl (30 examples, 3 categories) and a loss history.</summary>
internal static class ReportFixture
{
    public static string PredictionsPath => Path.Combine(AppContext.BaseDirectory, "TestData", "predictions.jsonl");

    public static readonly IReadOnlyDictionary<string, string> Gates = new Dictionary<string, string>
    {
        ["rougeL"] = ">= 0.30", ["rougeL_vs_base"] = "> 0", ["bleu"] = ">= 90", ["perplexity"] = "<= 2.5",
    };

    public static MetricsReport Metrics(bool withBase = true) =>
        Scoring.ScoreFile(PredictionsPath, new ScoringOptions { Gates = Gates, Perplexity = new PerplexityValues(2.1, withBase ? 7.9 : null) });

    public static IReadOnlyList<PredictionRecord> Predictions => PredictionsFile.Read(PredictionsPath);

    public static TrainingHistory History()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "loss_history.json")));
        static List<LossPoint> Points(JsonElement array) =>
            array.EnumerateArray().Select(p => new LossPoint(p[0].GetInt32(), p[1].GetDouble())).ToList();
        return new TrainingHistory(Points(document.RootElement.GetProperty("train")), Points(document.RootElement.GetProperty("eval")));
    }

    public static ReportInput Input() => new(Metrics(), Predictions, History());
}
