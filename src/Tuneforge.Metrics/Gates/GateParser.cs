using System.Globalization;
using System.Text.RegularExpressions;
using Tuneforge.Metrics.Reporting;

namespace Tuneforge.Metrics.Gates;

/// <summary>Parsed gates and the warnings about them (thresholds that look like the wrong scale).</summary>
public sealed record GateSet(IReadOnlyList<QualityGate> Gates, IReadOnlyList<string> Warnings);

/// <summary>
/// Reads gates as written in a pipeline spec: <c>{rougeL: "&gt;= 0.30", rougeL_vs_base: "&gt; 0", perplexity: "&lt;= 2.5"}</c>.
/// A gate name is a metric of <see cref="MetricCatalog"/>, <c>&lt;metric&gt;_vs_base</c> (tuned minus base), or a ratio of
/// <see cref="MetricCatalog.RatiosToBase"/> (tuned ÷ base).
/// </summary>
public static partial class GateParser
{
    /// <summary>The suffix of a gate on tuned minus base.</summary>
    public const string VersusBaseSuffix = "_vs_base";

    /// <summary>Every name a gate may have.</summary>
    public static IReadOnlyList<string> KnownGateNames { get; } =
        MetricCatalog.All.Select(m => m.Name).Concat(MetricCatalog.All.Select(m => m.Name + VersusBaseSuffix)).Concat(MetricCatalog.RatiosToBase.Keys)
            .Concat(MetricCatalog.Comparisons.Select(m => m.Name)).ToArray();

    /// <summary>Parses all gates; throws <see cref="GateSpecException"/> listing every bad one.</summary>
    public static GateSet ParseAll(IEnumerable<KeyValuePair<string, string>> gates)
    {
        var parsed = new List<QualityGate>();
        var problems = new List<string>();
        var warnings = new List<string>();
        foreach (var (name, expression) in gates)
        {
            try
            {
                var gate = Parse(name, expression);
                parsed.Add(gate);
                if (ScaleWarning(gate) is { } warning) warnings.Add(warning);
            }
            catch (GateSpecException e)
            {
                problems.AddRange(e.Problems);
            }
        }
        if (problems.Count > 0) throw new GateSpecException(problems);
        return new GateSet(parsed, warnings);
    }

    /// <summary>Parses one gate, e.g. <c>Parse("rougeL", "&gt;= 0.30")</c>.</summary>
    public static QualityGate Parse(string name, string expression)
    {
        bool ratio = MetricCatalog.RatiosToBase.TryGetValue(name, out var ratioOf);
        bool versusBase = !ratio && !MetricCatalog.IsComparison(name) && name.EndsWith(VersusBaseSuffix, StringComparison.Ordinal);
        string metric = ratio ? ratioOf! : versusBase ? name[..^VersusBaseSuffix.Length] : name;
        if (MetricCatalog.Find(metric) is null)
        {
            var suggestion = NameSuggestion.Closest(name, KnownGateNames);
            var hint = suggestion is null ? "." : $"; did you mean \"{suggestion}\"?";
            throw new GateSpecException([
                $"gate \"{name}\": unknown metric \"{metric}\"{hint} Known gates: " +
                $"{string.Join(", ", MetricCatalog.All.Select(m => m.Name))}, each also as <name>_vs_base (tuned minus base), and " +
                $"{string.Join(", ", MetricCatalog.RatiosToBase.Select(r => $"{r.Key} ({r.Value}, tuned ÷ base)"))}, " +
                $"{string.Join(", ", MetricCatalog.Comparisons.Select(m => $"{m.Name} ({m.Label})"))}"]);
        }

        var match = ExpressionRegex().Match(expression ?? "");
        if (!match.Success)
            throw new GateSpecException([
                $"gate \"{name}\": cannot read \"{expression}\": write an operator and a number, e.g. \">= 0.30\" (operators: >=, >, <=, <, ==, !=)"]);

        var op = match.Groups["op"].Value switch
        {
            ">=" => GateOperator.GreaterOrEqual,
            ">" => GateOperator.Greater,
            "<=" => GateOperator.LessOrEqual,
            "<" => GateOperator.Less,
            "==" => GateOperator.Equal,
            _ => GateOperator.NotEqual,
        };
        var number = match.Groups["number"].Value;
        return new QualityGate(name, metric, versusBase, op, double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture), number, ratio);
    }

    /// <summary>A warning when a threshold is on the other scale than its metric (BLEU 0.3 or ROUGE 30).</summary>
    private static string? ScaleWarning(QualityGate gate)
    {
        var info = MetricCatalog.Find(gate.Metric)!;
        double t = Math.Abs(gate.Threshold);
        if (info.Scale == "0-100" && t > 0 && t < 1)
            return $"gate \"{gate.Name}\": {gate.Metric} is on sacreBLEU's 0-100 scale, so {gate.ThresholdText} is almost no bar; did you mean \"{QualityGate.Symbol(gate.Operator)} {QualityGate.FormatNumber(gate.Threshold * 100)}\"?";
        if (info.Scale == "0-1" && t > 1)
            return $"gate \"{gate.Name}\": {gate.Metric} is on a 0-1 scale, so {gate.ThresholdText} can never be reached; did you mean \"{QualityGate.Symbol(gate.Operator)} {QualityGate.FormatNumber(gate.Threshold / 100)}\"?";
        return null;
    }

    [GeneratedRegex(@"^\s*(?<op>>=|<=|==|!=|>|<)\s*(?<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ExpressionRegex();
}
