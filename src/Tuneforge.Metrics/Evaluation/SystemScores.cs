using Tuneforge.Metrics.Bleu;
using Tuneforge.Metrics.Chrf;
using Tuneforge.Metrics.Rouge;

namespace Tuneforge.Metrics.Evaluation;

/// <summary>Per-example scores and sufficient statistics of one system (tuned or base), indexed like the records.</summary>
internal sealed class SystemScores
{
    public required RougeScores[] Rouge { get; init; }
    public required BleuStatistics[] Bleu { get; init; }
    public required long[][] Chrf { get; init; }
    public required long[][] ChrfPlusPlus { get; init; }
    public required double[] ExactMatch { get; init; }
    public required double[] Chars { get; init; }
    public required double[] Tokens { get; init; }
    public required double[] CompletionTokens { get; init; }

    public double[] Select(Func<RougeScores, double> selector) => Rouge.Select(selector).ToArray();
}
