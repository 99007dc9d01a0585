using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Tuneforge.Pipeline.Spec;

public enum TrainMethod { Lora, Qlora, Full }

public enum SchedulerType { Linear, Cosine, Constant, ConstantWithWarmup }

public enum EvalStrategy { No, Steps, Epoch }

/// <summary>Training settings; names follow transformers' TrainingArguments and TRL's SFTConfig.</summary>
public sealed record TrainSpec
{
    [Description("lora (adapters on a frozen base), qlora (adapters on a 4-bit NF4 base) or full fine-tuning.")]
    public TrainMethod Method { get; init; } = TrainMethod.Lora;

    [Description("native (the TorchSharp engine, one device) or torch (a PyTorch worker under torchrun, on one or many processes: see distributed).")]
    public TrainEngine Engine { get; init; } = TrainEngine.Native;

    [Description("Processes, strategy and launcher of engine: torch.")]
    public DistributedSpec Distributed { get; init; } = new();

    [Description("Number of passes over the training split.")]
    [Range(0.0, 1000.0, MinimumIsExclusive = true)]
    public double NumTrainEpochs { get; init; } = 3;

    [Description("Total optimizer steps; when > 0 it overrides num_train_epochs.")]
    [Range(-1, int.MaxValue)]
    public int MaxSteps { get; init; } = -1;

    [Description("Examples per micro-batch.")]
    [Range(1, 4096)]
    public int PerDeviceTrainBatchSize { get; init; } = 4;

    [Description("Examples per batch when computing the validation loss.")]
    [Range(1, 4096)]
    public int PerDeviceEvalBatchSize { get; init; } = 8;

    [Description("Micro-batches per optimizer step; the loss is normalized over all response tokens of the step.")]
    [Range(1, 4096)]
    public int GradientAccumulationSteps { get; init; } = 1;

    [Description("Peak learning rate of AdamW.")]
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double LearningRate { get; init; } = 2e-4;

    [Description("AdamW weight decay (never applied to biases and norms).")]
    [Range(0.0, 10.0)]
    public double WeightDecay { get; init; }

    [Description("AdamW beta1.")]
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double AdamBeta1 { get; init; } = 0.9;

    [Description("AdamW beta2.")]
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double AdamBeta2 { get; init; } = 0.999;

    [Description("AdamW epsilon.")]
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double AdamEpsilon { get; init; } = 1e-8;

    [Description("Learning-rate schedule after warmup: linear, cosine, constant or constant_with_warmup.")]
    public SchedulerType LrSchedulerType { get; init; } = SchedulerType.Linear;

    [Description("Warmup steps (linear from 0); wins over warmup_ratio when > 0.")]
    [Range(0, int.MaxValue)]
    public int WarmupSteps { get; init; }

    [Description("Warmup as a fraction of the total steps.")]
    [Range(0.0, 1.0)]
    public double WarmupRatio { get; init; }

    [Description("Gradient clipping by global norm; 0 disables it.")]
    [Range(0.0, 1e6)]
    public double MaxGradNorm { get; init; } = 1.0;

    [Description("Examples longer than this many tokens are truncated (counted and reported).")]
    [Range(8, 1 << 20)]
    public int MaxSeqLength { get; init; } = 2048;

    [Description("Log the training loss every this many optimizer steps.")]
    [Range(1, int.MaxValue)]
    public int LoggingSteps { get; init; } = 10;

    [Description("When to compute the validation loss: no, steps (every eval_steps) or epoch.")]
    public EvalStrategy EvalStrategy { get; init; } = EvalStrategy.Steps;

    [Description("Validation loss every this many optimizer steps.")]
    [Range(1, int.MaxValue)]
    public int EvalSteps { get; init; } = 100;

    [Description("Checkpoint every this many optimizer steps.")]
    [Range(1, int.MaxValue)]
    public int SaveSteps { get; init; } = 100;

    [Description("Keep at most this many checkpoints (the best one is never deleted).")]
    [Range(1, int.MaxValue)]
    public int? SaveTotalLimit { get; init; } = 3;

    [Description("At the end, load the checkpoint with the lowest validation loss.")]
    public bool LoadBestModelAtEnd { get; init; }

    [Description("Stop when the validation loss has not improved for this many evaluations.")]
    [Range(1, int.MaxValue)]
    public int? EarlyStoppingPatience { get; init; }

    [Description("Seed of initialization, dropout and data order.")]
    public int Seed { get; init; } = 42;

    [Description("Mixed precision in bfloat16 (trainable weights stay float32).")]
    public bool Bf16 { get; init; }

    [Description("Mixed precision in float16 (trainable weights stay float32).")]
    public bool Fp16 { get; init; }

    [Description("Recompute activations in backward to save memory.")]
    public bool GradientCheckpointing { get; init; }

    [Description("Group examples of similar length into batches (less padding).")]
    public bool GroupByLength { get; init; } = true;

    [Description("Pack several examples into one sequence (no attention across examples).")]
    public bool Packing { get; init; }

    [Description("LoRA settings, as PEFT's LoraConfig.")]
    public LoraSpec Lora { get; init; } = new();

    [Description("4-bit base for method: qlora, as bitsandbytes' BitsAndBytesConfig.")]
    public QuantizationSpec Quantization { get; init; } = new();
}

public sealed record LoraSpec
{
    [Description("Rank of the adapters.")]
    [Range(1, 4096)]
    public int R { get; init; } = 16;

    [Description("Scaling numerator: scaling = lora_alpha / r (or / sqrt(r) with use_rslora).")]
    [Range(0.0, 1e6, MinimumIsExclusive = true)]
    public double LoraAlpha { get; init; } = 32;

    [Description("Dropout on the adapter input.")]
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double LoraDropout { get; init; } = 0.05;

    [Description("Linear layers that get adapters (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj), or all-linear.")]
    [MinLength(1)]
    public List<string> TargetModules { get; init; } = ["q_proj", "k_proj", "v_proj", "o_proj"];

    [Description("Normalization layers trained whole beside the adapters and saved with them (PEFT's modules_to_save): norm (the final one), input_layernorm, post_attention_layernorm, q_norm, k_norm.")]
    public List<string> ModulesToSave { get; init; } = [];

    [Description("Bias training; only none is supported (as most PEFT recipes).")]
    [RegularExpression("^none$")]
    public string Bias { get; init; } = "none";

    [Description("Rank-stabilized LoRA: scaling = lora_alpha / sqrt(r).")]
    public bool UseRslora { get; init; }
}

public sealed record QuantizationSpec
{
    [Description("4-bit data type of the frozen base: nf4 or fp4.")]
    [RegularExpression("^(nf4|fp4)$")]
    [JsonPropertyName("bnb_4bit_quant_type")]
    public string Bnb4bitQuantType { get; init; } = "nf4";

    [Description("Elements per absmax block.")]
    [Range(16, 4096)]
    [JsonPropertyName("bnb_4bit_blocksize")]
    public int Bnb4bitBlocksize { get; init; } = 64;

    [Description("Quantize the absmax constants too (saves ~0.4 bit per weight).")]
    [JsonPropertyName("bnb_4bit_use_double_quant")]
    public bool Bnb4bitUseDoubleQuant { get; init; }

    [Description("Dtype of the dequantized weights in forward: bfloat16, float16 or float32.")]
    [RegularExpression("^(bfloat16|float16|float32)$")]
    [JsonPropertyName("bnb_4bit_compute_dtype")]
    public string Bnb4bitComputeDtype { get; init; } = "bfloat16";
}
