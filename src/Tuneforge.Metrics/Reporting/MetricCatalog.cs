namespace Tuneforge.Metrics.Reporting;

/// <summary>A metric that gates and reports can name.</summary>
/// <param name="Name">The name used in gates and metrics.json, e.g. <c>rougeL</c>.</param>
/// <param name="Label">A short human label, e.g. <c>ROUGE-L F1</c>.</param>
/// <param name="HigherIsBetter">False for perplexity.</param>
/// <param name="Scale">"0-1" or "0-100" or "≥1".</param>
public sealed record MetricInfo(string Name, string Label, bool HigherIsBetter, string Scale);

/// <summary>The metrics a report carries, and how to read each from a <see cref="MetricSet"/>.</summary>
public static class MetricCatalog
{
    public static IReadOnlyList<MetricInfo> All { get; } =
    [
        new("rouge1", "ROUGE-1 F1", true, "0-1"),
        new("rouge2", "ROUGE-2 F1", true, "0-1"),
        new("rougeL", "ROUGE-L F1", true, "0-1"),
        new("rougeLsum", "ROUGE-Lsum F1", true, "0-1"),
        new("bleu", "BLEU", true, "0-100"),
        new("chrf", "chrF2", true, "0-100"),
        new("chrf_pp", "chrF2++", true, "0-100"),
        new("exact_match", "Exact match", true, "0-1"),
        new("perplexity", "Perplexity", false, ">=1"),
        new("general_perplexity", "Perplexity, general text", false, ">=1"),
    ];

    /// <summary>Metrics of the comparison itself rather than of one model: gates read them, reports show them apart.</summary>
    public static IReadOnlyList<MetricInfo> Comparisons { get; } =
    [
        new(Evaluation.JudgeScores.WinRateGate, "LLM judge: tuned's win rate over base", true, "0-1"),
    ];

    /// <summary>Gates on tuned ÷ base of a metric, by gate name: <c>forgetting_ppl_ratio</c> is how much more the tuned
    /// model is surprised by general text than the base (1.10: 10 % more).</summary>
    public static IReadOnlyDictionary<string, string> RatiosToBase { get; } = new Dictionary<string, string>
    {
        ["forgetting_ppl_ratio"] = "general_perplexity",
    };

    /// <summary>The metrics a report's table shows for a group: all, but the forgetting check's only when it was measured.</summary>
    public static IEnumerable<MetricInfo> Reported(GroupReport group) =>
        All.Where(m => m.Name != "general_perplexity" || group.Tuned.GeneralPerplexity is not null);

    /// <summary>Tuned ÷ base of <paramref name="metric"/> in a group; null when either was not measured.</summary>
    public static double? RatioToBase(GroupReport group, string metric) =>
        Value(group.Tuned, metric) / (group.Base is { } b ? Value(b, metric) : null);

    /// <summary>Looks a metric up by its exact name.</summary>
    public static MetricInfo? Find(string name) => All.Concat(Comparisons).FirstOrDefault(m => m.Name == name);

    /// <summary>Whether <paramref name="name"/> is one of <see cref="Comparisons"/>.</summary>
    public static bool IsComparison(string name) => Comparisons.Any(m => m.Name == name);

    /// <summary>The value of metric <paramref name="name"/> in <paramref name="set"/>; null when not measured (perplexity).</summary>
    public static double? Value(MetricSet set, string name) => name switch
    {
        "rouge1" => set.Rouge1.F1,
        "rouge2" => set.Rouge2.F1,
        "rougeL" => set.RougeL.F1,
        "rougeLsum" => set.RougeLsum.F1,
        "bleu" => set.Bleu,
        "chrf" => set.Chrf,
        "chrf_pp" => set.ChrfPlusPlus,
        "exact_match" => set.ExactMatch,
        "perplexity" => set.Perplexity,
        "general_perplexity" => set.GeneralPerplexity,
        _ => throw new ArgumentException($"unknown metric '{name}'", nameof(name)),
    };
}
