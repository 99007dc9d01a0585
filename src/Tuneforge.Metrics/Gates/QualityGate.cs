using System.Globalization;

namespace Tuneforge.Metrics.Gates;

/// <summary>A comparison operator of a gate.</summary>
public enum GateOperator
{
    GreaterOrEqual,
    Greater,
    LessOrEqual,
    Less,
    Equal,
    NotEqual,
}

/// <summary>A quality gate: a metric (or tuned-minus-base difference) compared with a threshold.</summary>
/// <param name="Name">The gate as written in the spec, e.g. <c>rougeL_vs_base</c>.</param>
/// <param name="Metric">The metric it reads, e.g. <c>rougeL</c>.</param>
/// <param name="VersusBase">True for <c>&lt;metric&gt;_vs_base</c>: the gate reads tuned minus base.</param>
/// <param name="Operator">The comparison.</param>
/// <param name="Threshold">The number compared with.</param>
/// <param name="ThresholdText">The threshold as written, e.g. <c>0.30</c>, kept for display.</param>
/// <param name="RatioToBase">True for a gate of <see cref="Reporting.MetricCatalog.RatiosToBase"/>: it reads tuned ÷ base.</param>
public sealed record QualityGate(string Name, string Metric, bool VersusBase, GateOperator Operator, double Threshold, string ThresholdText, bool RatioToBase = false)
{
    /// <summary>The operator as written: <c>&gt;=</c>, <c>&gt;</c>, <c>&lt;=</c>, <c>&lt;</c>, <c>==</c>, <c>!=</c>.</summary>
    public static string Symbol(GateOperator op) => op switch
    {
        GateOperator.GreaterOrEqual => ">=",
        GateOperator.Greater => ">",
        GateOperator.LessOrEqual => "<=",
        GateOperator.Less => "<",
        GateOperator.Equal => "==",
        GateOperator.NotEqual => "!=",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    /// <summary>The condition as written, normalized: <c>&gt;= 0.30</c>.</summary>
    public string Condition => $"{Symbol(Operator)} {ThresholdText}";

    /// <summary>True when <paramref name="measured"/> satisfies the condition.</summary>
    public bool IsMetBy(double measured) => Operator switch
    {
        GateOperator.GreaterOrEqual => measured >= Threshold,
        GateOperator.Greater => measured > Threshold,
        GateOperator.LessOrEqual => measured <= Threshold,
        GateOperator.Less => measured < Threshold,
        GateOperator.Equal => measured == Threshold,
        GateOperator.NotEqual => measured != Threshold,
        _ => false,
    };

    public override string ToString() => $"{Name} {Condition}";

    internal static string FormatNumber(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
