using Tuneforge.Data;
using Tuneforge.Protocol;

namespace Tuneforge.Stages;

public sealed partial class PipelineStages
{
    /// <summary>The forgetting check's text files that exist (Predict's key holds their content; a missing one is the
    /// engine's error to report, with the pipeline key).</summary>
    public IReadOnlyList<string> ForgettingTexts =>
        [.. Spec.Evaluate.Forgetting.Texts.Select(t => Path.GetFullPath(t, rootDirectory)).Where(File.Exists)];

    public async Task<StageSummary> Predict(string splitDirectory, string trainDirectory, string outputDirectory)
    {
        var job = PredictStage.Job(Spec.Model, Spec.Evaluate, Path.Combine(splitDirectory, DataStages.TestFile), new TrainOutputs(trainDirectory), rootDirectory);
        var run = await Engine.RunAsync(job, outputDirectory, cancellation: cancellation);
        var result = UserError(() => StageResult.Read<PredictResult>(run.Result, PredictStage.Verb));
        return StageSummary.Of(("examples", result.Examples.ToString()), ("gen tokens/s", Number(result.TokensPerS, "0.#")), ("peak", Peak(result.PeakRssBytes)));
    }
}
