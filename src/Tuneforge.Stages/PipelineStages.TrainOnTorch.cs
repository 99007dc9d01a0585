using Tuneforge.Pipeline.Model;
using Tuneforge.Protocol;
using Tuneforge.Stages.Distributed;
using Tuneforge.Stages.Engine;

namespace Tuneforge.Stages;

public sealed partial class PipelineStages
{
    /// <summary>
    /// <c>train.engine: torch</c>: the engine writes the worker's inputs (prepare-train), the launcher runs the PyTorch
    /// worker under torchrun, and its events and outputs are the train verb's, read through <see cref="TrainStage"/>.
    /// </summary>
    async Task<(EngineRun Run, IReadOnlyList<(string Key, string Value)> Launch)> TrainOnTorch(EngineJob job, string outputDirectory)
    {
        var distributed = Spec.Train.Distributed;
        var name = WorkerDirectories.Name(job);
        var work = WorkerDirectories.Work(Path.GetFullPath(outputDirectory), distributed.SharedDir, name);
        await Engine.RunAsync(job, work, verb: TrainStage.PrepareVerb, cancellation: cancellation);
        var launch = new WorkerLaunch(work, distributed, WorkerDirectories.Package(rootDirectory, work, distributed.SharedDir), name);
        var launcher = SpecModel.EnumName(distributed.Launcher);
        using var events = new EventStream(TrainStage.Verb, $"The PyTorch worker (launcher {launcher}, {distributed.WorldSize} process(es))",
            crashHint: $"A process of the run ended; torchrun's report is below, and each rank's output is in {launch.LogDirectory}.", shownLines: 20);
        var outcome = await WorkerLaunchers.For(distributed.Launcher).RunAsync(launch, events, cancellation);
        var run = events.Finish(outcome.ExitCode);
        WorkerDirectories.Collect(work, outputDirectory);
        return (run, [("engine", $"torch {launcher} ×{distributed.WorldSize}"), .. outcome.Summary]);
    }
}
