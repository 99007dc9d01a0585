using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Tuneforge.Pipeline.Spec;

public sealed record SplitSpec
{
    [Description("Fraction of records for training.")]
    [Range(0.0, 1.0)]
    public double Train { get; init; } = 0.8;

    [Description("Fraction of records for validation (eval loss during training).")]
    [Range(0.0, 1.0)]
    public double Val { get; init; } = 0.1;

    [Description("Fraction of records for the final test (Evaluate).")]
    [Range(0.0, 1.0)]
    public double Test { get; init; } = 0.1;

    [Description("Seed of the shuffle; the same data and seed give the same split.")]
    public int Seed { get; init; } = 42;

    [Description("Record field to stratify by (each category split in the same proportions); null to not stratify.")]
    public string? StratifyBy { get; init; } = "category";
}
