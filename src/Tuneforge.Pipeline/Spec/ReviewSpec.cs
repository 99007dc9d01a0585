using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Tuneforge.Pipeline.Spec;

public enum ReviewFormat { Csv, Xlsx }

/// <summary>ExportReview: which test answers go on the sheet experts fill in.</summary>
public sealed record ReviewSpec
{
    [Description("The lowest-scoring test answers to put on the sheet (by review.metric).")]
    [Range(0, int.MaxValue)]
    public int Lowest { get; init; } = 20;

    [Description("Further test answers sampled at random (seeded) from the rest.")]
    [Range(0, int.MaxValue)]
    public int Sample { get; init; } = 10;

    [Description("Per-example metric that ranks the answers: rouge1, rouge2, rougeL, rougeLsum, bleu, chrf or exact_match.")]
    [RegularExpression("^(rouge1|rouge2|rougeL|rougeLsum|bleu|chrf|exact_match)$")]
    public string Metric { get; init; } = "rougeL";

    [Description("Seed of the sample.")]
    public int Seed { get; init; } = 42;

    [Description("Sheet formats to write: csv (UTF-8 with BOM, opens in Excel) and xlsx.")]
    [MinLength(1)]
    public List<ReviewFormat> Formats { get; init; } = [ReviewFormat.Csv, ReviewFormat.Xlsx];
}
