using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Engine.Training.Optimization;

/// <summary>
/// transformers' schedules: the update with index k (0-based) uses lr · λ(k), λ rising linearly from 0 over the warmup
/// steps, then falling linearly to 0 (linear), along half a cosine (cosine), or staying 1 (constant_with_warmup).
/// As in transformers, the first update of a warmup uses λ(0) = 0.
/// </summary>
public sealed record LearningRateSchedule(SchedulerType Type, double PeakLearningRate, int WarmupSteps, int TotalSteps)
{
    /// <summary>warmup_steps when > 0, else ⌈warmup_ratio · total⌉.</summary>
    public static int ResolveWarmup(int warmupSteps, double warmupRatio, int totalSteps) =>
        warmupSteps > 0 ? warmupSteps : (int)Math.Ceiling(warmupRatio * totalSteps);

    public double At(int updateIndex) => PeakLearningRate * Factor(updateIndex);

    public double Factor(int k)
    {
        if (Type == SchedulerType.Constant) return 1;
        if (k < WarmupSteps) return (double)k / Math.Max(1, WarmupSteps);
        var progress = (double)(k - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps);
        return Type switch
        {
            SchedulerType.Linear => Math.Max(0, (double)(TotalSteps - k) / Math.Max(1, TotalSteps - WarmupSteps)),
            SchedulerType.Cosine => Math.Max(0, 0.5 * (1 + Math.Cos(Math.PI * progress))),
            _ => 1,
        };
    }
}
