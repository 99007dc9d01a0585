using Tuneforge.Engine.Training.Batching;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Engine.Training.Loop;

/// <summary>
/// Which steps log, evaluate and save, from the spec and the plan alone: the native trainer and the PyTorch worker
/// (which reads these decisions from its plan) do them at the same steps. The last step does all three.
/// </summary>
public static class StepCalendar
{
    public static bool LogDue(TrainSpec spec, StepPlan step, int totalSteps) =>
        step.GlobalStep % spec.LoggingSteps == 0 || step.GlobalStep == totalSteps;

    public static bool EvaluationDue(TrainSpec spec, StepPlan step, int totalSteps) => spec.EvalStrategy switch
    {
        EvalStrategy.Steps => step.GlobalStep % spec.EvalSteps == 0 || step.GlobalStep == totalSteps,
        EvalStrategy.Epoch => step.StepInEpoch == step.StepsInEpoch - 1 || step.GlobalStep == totalSteps,
        _ => false,
    };

    /// <summary>Saves due by the calendar; a run that stops early also saves where it stops.</summary>
    public static bool SaveDue(TrainSpec spec, StepPlan step, int totalSteps) =>
        step.GlobalStep % spec.SaveSteps == 0 || step.GlobalStep == totalSteps
        || (spec.EvalStrategy == EvalStrategy.Epoch && spec.LoadBestModelAtEnd && step.StepInEpoch == step.StepsInEpoch - 1);
}
