using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Protocol;
using Tuneforge.Engine.Training.Worker;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary>
/// <c>prepare-train --job job.json --out DIR</c>: for <c>train.engine: torch</c>, writes the PyTorch worker's inputs into
/// DIR/worker/ (worker.json, each rank's tokenized micro-batches, the step-0 adapter, a preset's base folder); the
/// worker (src/Tuneforge.Worker) then trains under torchrun into DIR.
/// </summary>
public sealed class PrepareTrainVerb : IVerb
{
    public string Name => TrainStage.PrepareVerb;
    public string Summary => "write the PyTorch worker's inputs for train.engine: torch (batches, plan, initial adapter) into --out/worker";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("base-dir", "where a preset base model is written as a Hugging Face folder (a folder every node sees)", Default: "OUT/worker/base"),
    ];

    public bool ReadsEngineJob => true;

    public async Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation)
    {
        var jobFile = arguments.RequiredText("job", "the engine job: model and train sections and the split files");
        var output = arguments.RequiredText("out", "the Train output folder; the worker's inputs go into its worker/ folder");
        var job = JobFile.Read(jobFile, TrainStage.Verb);
        var result = await WorkerPreparation.RunAsync(job, output, events.Write, arguments.Text("base-dir"), cancellation);
        events.Write(StageResult.ToEvent(Name, result));
        return 0;
    }
}
