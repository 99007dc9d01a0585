using Tuneforge.Engine.Training.Checkpointing;

namespace Tuneforge.Engine.Training.Loop;

/// <summary>How a run ended and what it delivered.</summary>
/// <param name="Loss">The last logged training loss (mean over its logging window).</param>
/// <param name="TrainLoss">The mean training loss over all steps (transformers' train_loss).</param>
/// <param name="EvalLoss">The validation loss of the delivered weights (the best checkpoint's with load_best_model_at_end).</param>
/// <param name="TokensPerSecond">Input tokens per second of training steps run by this process (evaluation excluded).</param>
public sealed record TrainingOutcome(
    TrainerState State,
    double? Loss,
    double? TrainLoss,
    double? EvalLoss,
    int? ResumedFromStep,
    bool StoppedEarly,
    double? TokensPerSecond,
    string WeightsDirectory,
    string? LoadedBestCheckpoint);
