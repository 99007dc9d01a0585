using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Protocol;
using Tuneforge.Engine.Training;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary>
/// <c>train --job job.json --out DIR</c>: LoRA, QLoRA or full fine-tuning from the Train stage's job
/// (<see cref="TrainStage"/>). Resumes from the checkpoints in DIR when they belong to the same job.
/// </summary>
public sealed class TrainVerb : IVerb
{
    public string Name => TrainStage.Verb;
    public string Summary => "fine-tune a model (LoRA, QLoRA or full) from an engine job; resumes from checkpoints in --out";
    public IReadOnlyList<OptionSpec> Options { get; } = [];
    public bool ReadsEngineJob => true;

    public async Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation)
    {
        var job = JobFile.Read(arguments.RequiredText("job", "the engine job: model and train sections and the split files"), Name);
        var output = arguments.RequiredText("out", "the folder for the adapter, trainer_state.json and checkpoints");
        var result = await TrainingRun.RunAsync(job, output, events.Write, cancellation);
        events.Write(StageResult.ToEvent(Name, result));
        return 0;
    }
}
