namespace Tuneforge.Protocol;

/// <summary>A loss value at a training step.</summary>
public sealed record LossPoint(int Step, double Value);

/// <summary>Loss curves of a training run (as in trainer_state.json's log history): training loss and evaluation loss by step.</summary>
public sealed record TrainingHistory(IReadOnlyList<LossPoint> TrainLoss, IReadOnlyList<LossPoint> EvalLoss)
{
    public static TrainingHistory Empty { get; } = new([], []);

    public bool IsEmpty => TrainLoss.Count == 0 && EvalLoss.Count == 0;
}
