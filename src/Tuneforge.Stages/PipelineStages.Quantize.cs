using Tuneforge.Data;
using Tuneforge.Protocol;

namespace Tuneforge.Stages;

public sealed partial class PipelineStages
{
    public async Task<StageSummary> Quantize(string splitDirectory, string trainDirectory, string outputDirectory)
    {
        var job = UserError(() => QuantizeStage.Job(Spec, Path.Combine(splitDirectory, DataStages.TestFile), new TrainOutputs(trainDirectory), rootDirectory));
        var run = await Engine.RunAsync(job, outputDirectory, cancellation: cancellation);
        var result = UserError(() => StageResult.Read<QuantizeResult>(run.Result, QuantizeStage.Verb));
        var pairs = result.Formats.Where(f => f.Format != "merged")
            .Select(f => (f.Format, Mebibytes(f.Bytes) + (f.Perplexity is { } p ? $", ppl {p:0.##}" : ""))).ToList();
        pairs.Add(("peak", Peak(result.PeakRssBytes)));
        return new StageSummary(pairs);
    }
}
