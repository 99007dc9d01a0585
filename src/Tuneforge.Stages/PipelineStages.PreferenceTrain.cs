using Tuneforge.Data;
using Tuneforge.Pipeline.Model;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Protocol;
using Tuneforge.Targets;

namespace Tuneforge.Stages;

public sealed partial class PipelineStages
{
    /// <param name="splitDirectory">The split Train read (Split, Reason or Augment's).</param>
    /// <param name="trainDirectory">Train's output: the adapter start_from: sft continues.</param>
    public async Task<StageSummary> PreferenceTrain(string splitDirectory, string trainDirectory, string outputDirectory)
    {
        var preference = Spec.Preference;
        var val = Path.Combine(splitDirectory, DataStages.ValFile);
        var job = PreferenceTrainStage.Job(Spec.Model, Spec.Train, preference, Path.Combine(splitDirectory, DataStages.TrainFile), File.Exists(val) ? val : null,
            preference.StartFrom == PreferenceStart.Sft ? new TrainOutputs(trainDirectory) : null, rootDirectory);
        var run = await Engine.RunAsync(job, outputDirectory, cancellation: cancellation);
        var result = UserError(() => StageResult.Read<PreferenceTrainResult>(run.Result, PreferenceTrainStage.Verb));
        Log.Information($"{result.Method} from {result.StartFrom}: {result.TrainPairs} pairs{(result.TrainLabelled > 0 ? $" ({result.TrainLabelled} labelled answers)" : "")}, " +
                        $"{result.Steps} steps in {result.Seconds:0.0} s; val reward accuracy {Number(result.ValAccuracyBefore, "0.00")} → {Number(result.ValAccuracyAfter, "0.00")} " +
                        $"on {result.ValPairs} pairs, margin {Number(result.ValMarginBefore, "0.000")} → {Number(result.ValMarginAfter, "0.000")}: " +
                        $"{Relative(Path.Combine(ArtifactsDirectory, "preference", PreferenceTrainStage.MetricsFile))}");
        return StageSummary.Of(
            ("method", $"{result.Method} from {result.StartFrom}"),
            ("loss", Number(result.Loss, "0.000")),
            ("val_reward_accuracy", $"{Number(result.ValAccuracyBefore, "0.00")} → {Number(result.ValAccuracyAfter, "0.00")}"),
            ("peak", Peak(result.PeakRssBytes)));
    }
}
