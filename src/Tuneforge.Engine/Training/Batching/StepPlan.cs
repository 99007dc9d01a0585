namespace Tuneforge.Engine.Training.Batching;

/// <summary>
/// One optimizer step: its micro-batches, each a list of rows, each row the examples packed into it (one without
/// packing). <paramref name="Epoch"/> and <paramref name="StepInEpoch"/> count from 0; the global step from 1.
/// </summary>
public sealed record StepPlan(int GlobalStep, int Epoch, int StepInEpoch, int StepsInEpoch, IReadOnlyList<IReadOnlyList<int[]>> MicroBatches)
{
    /// <summary>Epochs done after this step, as transformers logs it (2.5 = half-way through the third).</summary>
    public double EpochProgress => Epoch + (StepInEpoch + 1.0) / StepsInEpoch;
}
