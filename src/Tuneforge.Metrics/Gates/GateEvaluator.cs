using System.Text.Json.Serialization;
using Tuneforge.Metrics.Reporting;

namespace Tuneforge.Metrics.Gates;

/// <summary>One gate checked against measured metrics.</summary>
/// <param name="Gate">The gate's name, e.g. <c>rougeL_vs_base</c>.</param>
/// <param name="Metric">The metric it reads, e.g. <c>rougeL</c>.</param>
/// <param name="Condition">Its condition, e.g. <c>&gt; 0</c>.</param>
/// <param name="Measured">The value compared (a difference for <c>_vs_base</c>), null when it could not be measured.</param>
/// <param name="CiLow">For <c>_vs_base</c>: the lower bound of the bootstrap interval of the difference.</param>
/// <param name="CiHigh">The upper bound.</param>
/// <param name="Passed">False also when nothing could be measured.</param>
/// <param name="Note">Why a gate could not be measured; null otherwise.</param>
public sealed record GateResult(
    [property: JsonPropertyName("gate")] string Gate,
    [property: JsonPropertyName("metric")] string Metric,
    [property: JsonPropertyName("condition")] string Condition,
    [property: JsonPropertyName("measured")] double? Measured,
    [property: JsonPropertyName("ci_low")] double? CiLow,
    [property: JsonPropertyName("ci_high")] double? CiHigh,
    [property: JsonPropertyName("passed")] bool Passed,
    [property: JsonPropertyName("note")] string? Note);

/// <summary>All gate results; <see cref="Passed"/> only when every gate passed.</summary>
public sealed record GateReport(
    [property: JsonPropertyName("passed")] bool Passed,
    [property: JsonPropertyName("results")] IReadOnlyList<GateResult> Results)
{
    /// <summary>The gates that failed.</summary>
    [JsonIgnore]
    public IEnumerable<GateResult> Failures => Results.Where(r => !r.Passed);
}

/// <summary>Checks gates against the overall metrics of a report.</summary>
public static class GateEvaluator
{
    /// <summary>Evaluates each gate on <paramref name="overall"/> and the <paramref name="comparisons"/> measured
    /// (<see cref="MetricCatalog.Comparisons"/> by name, with their intervals); an unmeasurable gate fails with a note.</summary>
    public static GateReport Evaluate(IEnumerable<QualityGate> gates, GroupReport overall,
        IReadOnlyDictionary<string, Statistics.DifferenceInterval>? comparisons = null)
    {
        var results = gates.Select(gate => Evaluate(gate, overall, comparisons)).ToList();
        return new GateReport(results.All(r => r.Passed), results);
    }

    private static GateResult Evaluate(QualityGate gate, GroupReport overall, IReadOnlyDictionary<string, Statistics.DifferenceInterval>? comparisons)
    {
        double? measured;
        double? low = null, high = null;
        string? note = null;
        if (MetricCatalog.IsComparison(gate.Metric))
        {
            var interval = comparisons?.GetValueOrDefault(gate.Metric);
            (measured, low, high) = (interval?.Delta, interval?.Low, interval?.High);
            if (interval is null) note = $"not measured: no {gate.Metric} was supplied (turn judge.enabled on)";
        }
        else if (gate.RatioToBase)
        {
            measured = MetricCatalog.RatioToBase(overall, gate.Metric);
            if (overall.Base is null) note = "not measured: the predictions have no base_prediction (set evaluate.compare_base: true)";
            else if (measured is null) note = $"not measured: no {gate.Metric} of both models was supplied (evaluate.forgetting.texts)";
        }
        else if (gate.VersusBase)
        {
            var delta = overall.Deltas?.FirstOrDefault(d => d.Metric == gate.Metric);
            measured = delta?.Delta;
            low = delta?.CiLow;
            high = delta?.CiHigh;
            if (overall.Base is null) note = "not measured: the predictions have no base_prediction (set evaluate.compare_base: true)";
            else if (delta is null) note = gate.Metric == "perplexity"
                ? "not measured: no perplexity of the base model was supplied"
                : $"not measured: no {gate.Metric} difference in the report";
        }
        else
        {
            measured = MetricCatalog.Value(overall.Tuned, gate.Metric);
            if (measured is null) note = $"not measured: no {gate.Metric} was supplied";
        }
        bool passed = measured is { } value && !double.IsNaN(value) && gate.IsMetBy(value);
        return new GateResult(gate.Name, gate.Metric, gate.Condition, measured, low, high, passed, note);
    }
}
