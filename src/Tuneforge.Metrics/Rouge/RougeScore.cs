namespace Tuneforge.Metrics.Rouge;

/// <summary>Precision, recall and F1 of one ROUGE variant on one pair of texts, each in [0, 1].</summary>
public readonly record struct RougeScore(double Precision, double Recall, double F1)
{
    public static RougeScore Zero => new(0, 0, 0);

    /// <summary>rouge_score's f-measure: the harmonic mean, or 0 when both are 0.</summary>
    public static RougeScore FromPrecisionRecall(double precision, double recall) =>
        new(precision, recall, precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0);
}

/// <summary>The ROUGE variants computed for one prediction against its reference.</summary>
public sealed record RougeScores(RougeScore Rouge1, RougeScore Rouge2, RougeScore RougeL, RougeScore RougeLsum);
