using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Runtime;
using Tuneforge.Pipeline.Spec;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Training;

/// <summary>The train spec checked and resolved for one run: precision, LoRA targets, QLoRA settings.</summary>
public sealed record TrainOptions
{
    public required TrainSpec Spec { get; init; }
    /// <summary>The dtype of activations and frozen weights; trainable weights and optimizer states are always float32.</summary>
    public required ScalarType ComputeDType { get; init; }
    /// <summary>The frozen weights' dtype when it is not <see cref="ComputeDType"/>: bfloat16 weights with float32 math on a
    /// CPU that emulates bfloat16 (<see cref="ComputeOptions.WithNativeMath"/>), for LoRA and QLoRA.</summary>
    public ScalarType? FrozenWeightDType { get; init; }
    public LoraSettings? Lora { get; init; }
    public ScalarType Nf4ComputeDType { get; init; } = ScalarType.BFloat16;
    /// <summary>
    /// Logits computed at once by the chunked LM head (rows × vocab floats): small enough to stay in cache, large enough
    /// for an efficient product. Measured best on the benchmark model: 2²⁴ in float32, 2²³ in bfloat16.
    /// </summary>
    public long? HeadChunkElements { get; init; }

    public long HeadChunk => HeadChunkElements ?? (ComputeDType == ScalarType.Float32 ? 1L << 24 : 1L << 23);

    /// <summary>How the base model is held and computed.</summary>
    public ComputeOptions BaseCompute(TorchSharp.torch.Device device) =>
        FrozenWeightDType is { } weights ? new ComputeOptions(device, weights) { Activations = ComputeDType } : new ComputeOptions(device, ComputeDType);

    public TrainMethod Method => Spec.Method;
    public bool UsesAdapters => Spec.Method is TrainMethod.Lora or TrainMethod.Qlora;

    /// <summary>The compute dtype the pipeline asks for (bf16, fp16, model.torch_dtype); null leaves it to the device.</summary>
    public static ScalarType? ChosenComputeDType(TrainSpec spec, ModelSpec model) =>
        spec.Bf16 ? ScalarType.BFloat16
        : spec.Fp16 ? ScalarType.Float16
        : model.TorchDtype == TorchDtype.Auto ? null
        : ComputeOptions.DTypeFor(model, CPU);   // an explicit torch_dtype is the same on every device

    /// <summary>Resolves and checks <paramref name="spec"/>; errors name the key (train.…) and what to do.</summary>
    public static TrainOptions Resolve(TrainSpec spec, ModelSpec model, Device device)
    {
        static EngineException Bad(string key, string problem) => new($"train.{key}: {problem}", "Fix the train section of the pipeline file.");
        if (spec.Bf16 && spec.Fp16) throw Bad("fp16", "bf16 and fp16 cannot both be true; choose one");
        if (spec.NumTrainEpochs <= 0 && spec.MaxSteps <= 0) throw Bad("num_train_epochs", "must be > 0 (or set max_steps)");
        if (spec.PerDeviceTrainBatchSize < 1) throw Bad("per_device_train_batch_size", "must be at least 1");
        if (spec.PerDeviceEvalBatchSize < 1) throw Bad("per_device_eval_batch_size", "must be at least 1");
        if (spec.GradientAccumulationSteps < 1) throw Bad("gradient_accumulation_steps", "must be at least 1");
        if (spec.LearningRate <= 0) throw Bad("learning_rate", "must be > 0");
        if (spec.MaxSeqLength < 2) throw Bad("max_seq_length", "must be at least 2 (a prompt token and a response token)");
        if (spec.LoggingSteps < 1 || spec.EvalSteps < 1 || spec.SaveSteps < 1) throw Bad("logging_steps", "logging_steps, eval_steps and save_steps must be at least 1");
        if (spec.SaveTotalLimit is < 1) throw Bad("save_total_limit", "must be at least 1");
        if ((spec.LoadBestModelAtEnd || spec.EarlyStoppingPatience is not null) && spec.EvalStrategy == EvalStrategy.No)
            throw Bad(spec.LoadBestModelAtEnd ? "load_best_model_at_end" : "early_stopping_patience", "needs evaluation: set eval_strategy to steps or epoch");
        if (spec.LoadBestModelAtEnd && spec.EvalStrategy == EvalStrategy.Steps && spec.SaveSteps % spec.EvalSteps != 0)
            throw Bad("save_steps", $"{spec.SaveSteps} must be a multiple of eval_steps ({spec.EvalSteps}) with load_best_model_at_end, so every checkpoint has an eval loss (as in transformers)");

        var compute = ChosenComputeDType(spec, model) ?? (device.type == TorchSharp.DeviceType.CUDA ? ScalarType.BFloat16 : ScalarType.Float32);

        LoraSettings? lora = null;
        if (spec.Method is TrainMethod.Lora or TrainMethod.Qlora)
        {
            try
            {
                lora = LoraSettings.From(spec.Lora);
            }
            catch (ArgumentException e)
            {
                throw new EngineException(e.Message, "Fix the train.lora section of the pipeline file.");
            }
        }

        // Adapters train on frozen weights: those may stay bfloat16 while the math runs natively (float32).
        var native = new ComputeOptions(device, compute).WithNativeMath();
        ScalarType? frozen = null;
        if (spec.Method is TrainMethod.Lora or TrainMethod.Qlora && native.Activations is { } math)
            (frozen, compute) = (compute, math);
        var nf4Compute = compute;
        if (spec.Method == TrainMethod.Qlora)
        {
            var q = spec.Quantization;
            if (q.Bnb4bitQuantType != "nf4") throw Bad("quantization.bnb_4bit_quant_type", $"'{q.Bnb4bitQuantType}' is not supported; the engine quantizes to nf4");
            if (q.Bnb4bitBlocksize % 2 != 0) throw Bad("quantization.bnb_4bit_blocksize", $"{q.Bnb4bitBlocksize} must be even");
            nf4Compute = new ComputeOptions(device, ComputeOptions.ParseDType(q.Bnb4bitComputeDtype)).WithNativeMath().ActivationDType;
        }
        return new TrainOptions { Spec = spec, ComputeDType = compute, FrozenWeightDType = frozen, Lora = lora, Nf4ComputeDType = nf4Compute };
    }
}
