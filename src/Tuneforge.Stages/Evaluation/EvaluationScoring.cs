using System.Text.Json;
using Tuneforge.Metrics;
using Tuneforge.Metrics.Bleu;
using Tuneforge.Metrics.Gates;
using Tuneforge.Metrics.Predictions;
using Tuneforge.Metrics.Reporting;
using Tuneforge.Metrics.Statistics;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Reports;
using Tuneforge.Reports.Input;
using Tuneforge.Targets;

namespace Tuneforge.Stages.Evaluation;

/// <summary>The build's half of Evaluate: scores the engine's predictions.jsonl into metrics.json and the report.
/// Gates are not part of this (cached) result: they are checked on every run, so a changed gate re-checks
/// without regenerating.</summary>
public static class EvaluationScoring
{
    public const string PredictionsFile = "predictions.jsonl";
    public const string PerplexityFile = "perplexity.json";
    public const string MetricsFile = "metrics.json";

    public static MetricsReport Score(string evaluateDirectory, EvaluateSpec spec, string? trainDirectory)
    {
        var predictions = Path.Combine(evaluateDirectory, PredictionsFile);
        var options = new ScoringOptions
        {
            RougeStemmer = spec.RougeUseStemmer,
            BleuTokenizer = spec.BleuTokenize switch
            {
                "zh" => BleuTokenizerKind.Zh,
                "13a" => BleuTokenizerKind.Thirteen13a,
                "none" => BleuTokenizerKind.None,
                _ => null,
            },
            Bootstrap = new BootstrapOptions(Samples: spec.BootstrapSamples),
            Perplexity = ReadPerplexity(Path.Combine(evaluateDirectory, PerplexityFile)),
        };
        MetricsReport report;
        try
        {
            report = Scoring.ScoreFile(predictions, options);
        }
        catch (PredictionsFormatException e)
        {
            throw new BuildException($"The engine wrote an unreadable {PredictionsFile}: {e.Message}", e);
        }
        MetricsReportJson.Write(Path.Combine(evaluateDirectory, MetricsFile), report);
        var history = trainDirectory is null ? null : TrainerState.ReadHistory(trainDirectory);
        ReportWriter.Write(evaluateDirectory, new ReportInput(report, Metrics.Predictions.PredictionsFile.Read(predictions), history));
        return report;
    }

    /// <summary>Evaluates the gates against a stored metrics.json; a bad gate name or expression is a user error.</summary>
    public static GateReport CheckGates(string metricsPath, IReadOnlyDictionary<string, string> gates)
    {
        GateSet parsed;
        try
        {
            parsed = GateParser.ParseAll(gates);
        }
        catch (GateSpecException e)
        {
            throw new BuildException($"evaluate.gates: {e.Message}", e);
        }
        var metrics = MetricsReportJson.Read(metricsPath);
        return GateEvaluator.Evaluate(parsed.Gates, metrics.Overall);
    }

    static PerplexityValues? ReadPerplexity(string path)
    {
        if (!File.Exists(path)) return null;
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        double? Value(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        Dictionary<string, double>? ByCategory(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object
            ? v.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble())
            : null;
        return new PerplexityValues(Value("tuned"), Value("base"), ByCategory("tuned_by_category"), ByCategory("base_by_category"));
    }
}
