using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Tuneforge.Pipeline.Spec;

/// <summary>none: supervised fine-tuning only. dpo, orpo, kto, simpo: the preference objectives as TRL defines them.</summary>
public enum PreferenceMethod { None, Dpo, Orpo, Kto, Simpo }

/// <summary>DPO's loss on the reward margin h: sigmoid −log σ(β·h) (the paper's), ipo (h − 1/(2β))² on length-averaged
/// log-probabilities, hinge max(0, 1 − β·h).</summary>
public enum DpoLossType { Sigmoid, Ipo, Hinge }

/// <summary>Where preference training starts: the base model (a fresh adapter) or the adapter Train wrote (SFT first).</summary>
public enum PreferenceStart { Base, Sft }

/// <summary>Preference training on pairs or KTO labels; the settings carry TRL's names (DPOConfig, ORPOConfig,
/// KTOConfig, CPOConfig for simpo). Defaults are TRL's.</summary>
public sealed record PreferenceSpec
{
    [Description("none, dpo, orpo, kto or simpo.")]
    public PreferenceMethod Method { get; init; } = PreferenceMethod.None;

    [Description("base (a fresh adapter on the base model) or sft (continue from the adapter of this pipeline's Train).")]
    public PreferenceStart StartFrom { get; init; } = PreferenceStart.Sft;

    /// <summary>Whether the pipeline trains on preferences at all.</summary>
    public bool Enabled => Method != PreferenceMethod.None;

    [Description("Temperature of the implicit reward: β · (log π − log π_ref); higher stays closer to the reference.")]
    [Range(0.0, 1000.0, MinimumIsExclusive = true)]
    public double Beta { get; init; } = 0.1;

    [Description("dpo only: sigmoid, ipo or hinge.")]
    public DpoLossType LossType { get; init; } = DpoLossType.Sigmoid;

    [Description("dpo (sigmoid) and simpo: the assumed share of flipped labels (conservative DPO); 0 is off.")]
    [Range(0.0, 0.5)]
    public double LabelSmoothing { get; init; }

    [Description("simpo only: the target reward margin γ.")]
    [Range(0.0, 100.0)]
    public double SimpoGamma { get; init; } = 0.5;

    [Description("kto only: weight of the desirable examples' losses.")]
    [Range(0.0, 100.0, MinimumIsExclusive = true)]
    public double DesirableWeight { get; init; } = 1.0;

    [Description("kto only: weight of the undesirable examples' losses.")]
    [Range(0.0, 100.0, MinimumIsExclusive = true)]
    public double UndesirableWeight { get; init; } = 1.0;

    [Description("Prompts longer than this many tokens keep their end (the turns nearest the answer).")]
    [Range(1, 1 << 20)]
    public int MaxPromptLength { get; init; } = 512;

    [Description("Prompt plus answer at most this many tokens; the answer is cut at its end.")]
    [Range(2, 1 << 20)]
    public int MaxLength { get; init; } = 1024;

    [Description("Learning rate of preference training (null = train.learning_rate); preference steps usually want a smaller one than SFT.")]
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double? LearningRate { get; init; }

    [Description("Optimizer steps of preference training (null = num_train_epochs over the pairs, else train.max_steps).")]
    [Range(1, int.MaxValue)]
    public int? MaxSteps { get; init; }

    [Description("Passes over the pairs when max_steps is not set (null = train.num_train_epochs).")]
    [Range(0.0, 10000.0, MinimumIsExclusive = true)]
    public double? NumTrainEpochs { get; init; }

    /// <summary>The train section as preference training uses it: this section's learning rate, steps and epochs where set.</summary>
    public TrainSpec Training(TrainSpec train) => train with
    {
        LearningRate = LearningRate ?? train.LearningRate,
        MaxSteps = MaxSteps ?? train.MaxSteps,
        NumTrainEpochs = NumTrainEpochs ?? train.NumTrainEpochs,
    };
}
