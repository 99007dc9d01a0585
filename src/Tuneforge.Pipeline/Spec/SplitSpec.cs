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

    [Description("Balancing of the train part only (val and test keep the data's own distribution); off unless set.")]
    public BalanceSpec? Balance { get; init; }
}

/// <summary>split.balance: down-sample large groups of the train part to a cap, up-sample small ones to a floor with
/// copies, or reach target proportions; deterministic by split.seed.</summary>
public sealed record BalanceSpec
{
    [Description("Record field whose values are the groups: category, source, or a field of your records.")]
    public string By { get; init; } = "category";

    [Description("Cap: a group with more train records is down-sampled to this many.")]
    [Range(1, int.MaxValue)]
    public int? MaxPerGroup { get; init; }

    [Description("Floor: a group with fewer train records is up-sampled to this many with copies.")]
    [Range(1, int.MaxValue)]
    public int? MinPerGroup { get; init; }

    [Description("Target share of each group in the train part (group -> fraction, summing to 1; every group listed); the train part keeps its size.")]
    public Dictionary<string, double> Proportions { get; init; } = [];
}
