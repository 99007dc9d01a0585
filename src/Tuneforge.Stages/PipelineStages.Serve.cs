using Tuneforge.Protocol;

namespace Tuneforge.Stages;

public sealed partial class PipelineStages
{
    /// <summary>How long a stopped server may take to finish its requests before it is killed.</summary>
    static readonly TimeSpan ServerStopGrace = TimeSpan.FromSeconds(15);

    /// <param name="quantizeDirectory">Quantize's folder, asked for only when serve.backend or serve.weights needs it.</param>
    public async Task<StageSummary> Serve(string trainDirectory, Func<string> quantizeDirectory)
    {
        var weights = UserError(() => ServeStage.Choose(Spec, new TrainOutputs(trainDirectory), () => new QuantizeOutputs(quantizeDirectory())));
        var serveDirectory = Path.Combine(ArtifactsDirectory, "serve");
        var job = ServeStage.Job(Spec, weights, Path.Combine(serveDirectory, "feedback.db"), rootDirectory);
        var served = weights.Path is { } path ? Relative(path) : $"{Spec.Model.Source} + {Relative(weights.Adapter!)}";
        Targets.Log.Information($"tuneforge-engine serve {served} on {Spec.Serve.Urls}");
        await Engine.RunAsync(job, serveDirectory, stopGrace: ServerStopGrace, cancellation: cancellation);
        return StageSummary.Of(("served", served));
    }
}
