using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Tuneforge.Pipeline.Spec;

public enum AgreementMetric { RougeL, ExactMatch }

/// <summary>Reason: the teacher writes reasoning traces for the train split, kept only when they reach the reference answer.</summary>
public sealed record ReasonSpec
{
    [Description("Run Reason between Split and Train; Train then reads its train split (reasoning filled where a trace was accepted).")]
    public bool Enabled { get; init; }

    [Description("Rejection sampling: at most this many teacher samples per record; the first whose final answer agrees with the reference is kept.")]
    [Range(1, 64)]
    public int Samples { get; init; } = 4;

    [Description("How a sample's final answer (the text after </think>) is compared with the reference: rouge_l (F-measure) or exact_match (after trimming).")]
    public AgreementMetric Agreement { get; init; } = AgreementMetric.RougeL;

    [Description("The agreement score a sample needs to be accepted (0..1; exact_match scores 0 or 1).")]
    [Range(0.0, 1.0)]
    public double Threshold { get; init; } = 0.5;

    [Description("System message the teacher gets before each question (none by default, as DeepSeek recommends for R1).")]
    public string? Instruction { get; init; }
}
