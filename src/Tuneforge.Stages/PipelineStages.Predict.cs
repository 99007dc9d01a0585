using Tuneforge.Data;
using Tuneforge.Protocol;

namespace Tuneforge.Stages;

public sealed partial class PipelineStages
{
    public async Task<StageSummary> Predict(string splitDirectory, string trainDirectory, string outputDirectory)
    {
        var job = PredictStage.Job(Spec.Model, Spec.Evaluate, Path.Combine(splitDirectory, DataStages.TestFile), new TrainOutputs(trainDirectory), rootDirectory);
        var run = await Engine.RunAsync(job, outputDirectory, cancellation: cancellation);
        var result = UserError(() => StageResult.Read<PredictResult>(run.Result, PredictStage.Verb));
        return StageSummary.Of(("examples", result.Examples.ToString()), ("gen tokens/s", Number(result.TokensPerS, "0.#")), ("peak", Peak(result.PeakRssBytes)));
    }
}
