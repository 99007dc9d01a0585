using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Tuneforge.Pipeline.Spec;

/// <summary>Augment: the teacher paraphrases the train questions; the reference answers are kept.</summary>
public sealed record AugmentSpec
{
    [Description("Run Augment before Train (after Reason when that is on); Train then reads the train split with the paraphrases added.")]
    public bool Enabled { get; init; }

    [Description("Paraphrases asked per train question; near duplicates (clean.near_dedupe's threshold) of the train split, of each other and of any val/test question are dropped.")]
    [Range(1, 32)]
    public int Paraphrases { get; init; } = 2;

    [Description("The teacher's system message; the question follows as the user message.")]
    [Required]
    public string Instruction { get; init; } =
        "Rewrite the user's question in other words, keeping its meaning, language and every detail. Reply with the rewritten question only.";
}
