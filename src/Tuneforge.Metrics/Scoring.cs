using System.Security.Cryptography;
using Tuneforge.Metrics.Evaluation;
using Tuneforge.Metrics.Predictions;
using Tuneforge.Metrics.Reporting;

namespace Tuneforge.Metrics;

/// <summary>The one entry point of scoring: what <c>tuneforge-engine score --predictions FILE</c> calls.</summary>
public static class Scoring
{
    /// <summary>
    /// Reads <paramref name="predictionsPath"/> (predictions.jsonl) and scores it. Throws
    /// <see cref="PredictionsFormatException"/> (file:line) for a bad file and <see cref="Gates.GateSpecException"/>
    /// for bad gates. Write the result with <see cref="MetricsReportJson.Write"/> (namespace Tuneforge.Metrics.Reporting).
    /// </summary>
    public static MetricsReport ScoreFile(string predictionsPath, ScoringOptions options)
    {
        var records = PredictionsFile.Read(predictionsPath);
        var source = new ScoredSource(Path.GetFileName(predictionsPath), Sha256(predictionsPath), records.Count, records[0].BasePrediction is not null);
        return new Scorer(options).Score(records, source) with { Reasoning = ReasoningReport.Of(records) };
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
