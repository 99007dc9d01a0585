namespace Tuneforge.Protocol;

/// <summary>The Evaluate stage: the build scores Predict's answers (no engine), checks the gates and writes the report.</summary>
public static class EvaluateStage
{
    /// <summary>Version of the scoring and report code (Metrics, Reports); bump when metrics.json or the report would change.
    /// 4: the report shows the expert ratings of data.reviews.
    /// 5: metrics.json and the report count the answers' think blocks (reasoning) and show general_perplexity (the forgetting check).</summary>
    public const string Salt = "tuneforge-evaluate/5";
}

/// <summary>What Evaluate (the build's scoring of Predict's answers) writes: metrics.json with the gates' results,
/// report.md, a self-contained report.html and plots/.</summary>
public sealed record EvaluateOutputs(string Directory)
{
    public const string MetricsFile = "metrics.json";
    public const string ReportMarkdownFile = "report.md";
    public const string ReportHtmlFile = "report.html";
    public const string PlotsFolder = "plots";

    public string MetricsPath => Path.Combine(Directory, MetricsFile);
    public string ReportMarkdownPath => Path.Combine(Directory, ReportMarkdownFile);
    public string ReportHtmlPath => Path.Combine(Directory, ReportHtmlFile);
    public string PlotsDirectory => Path.Combine(Directory, PlotsFolder);
}
