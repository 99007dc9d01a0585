using Tuneforge.Data.Training;
using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Training.Batching;
using Tuneforge.Engine.Training.Data;
using Tuneforge.Engine.Training.Optimization;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Training.Loop;

/// <summary>Everything a <see cref="Trainer"/> works with.</summary>
/// <param name="Fingerprint">Identifies settings + data: a checkpoint with another fingerprint is not resumed.</param>
/// <param name="FullModelDType">The dtype the full fine-tuned model is saved in (method: full).</param>
/// <param name="TokenizerDirectory">Tokenizer files copied into a full fine-tuned model folder.</param>
public sealed record TrainerInputs(
    TrainableModel Model,
    TrainOptions Options,
    TrainingPlan Plan,
    IReadOnlyList<EncodedExample> Train,
    IReadOnlyList<EncodedExample> Val,
    string OutputDirectory,
    AdapterOrigin Origin,
    string Fingerprint,
    Action<EngineEvent> Emit,
    ScalarType FullModelDType = ScalarType.Float32,
    string? TokenizerDirectory = null)
{
    /// <summary>Replaces the validation pass (tests script eval losses to check early stopping and best-model logic).</summary>
    internal Func<TrainableModel, double>? Evaluation { get; init; }

    /// <summary>Ends the run after this global step (saved, evaluated and written like the last one) without changing
    /// the schedule of the whole plan; null runs the plan to its end.</summary>
    public int? StopAfterStep { get; init; }

    /// <summary>Token rows that keep their initial values (pretraining's unseen tokens); null trains every row.</summary>
    public FrozenRows? FrozenRows { get; init; }
}
