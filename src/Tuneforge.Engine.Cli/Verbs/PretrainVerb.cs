using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Pretraining;
using Tuneforge.Engine.Protocol;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary>
/// <c>pretrain --job job.json --out DIR</c>: causal LM training of every weight on plain text (packed sequences, loss
/// on every token) from an engine job with model and pretrain sections. Resumes from the checkpoints in DIR when they
/// belong to the same job and corpus.
/// </summary>
public sealed class PretrainVerb : IVerb
{
    public string Name => PretrainStage.Verb;
    public string Summary => "pretrain a model on plain text (packed, loss on every token) from an engine job; resumes from checkpoints in --out";
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("stop-after", "end after this step, keeping the whole run's schedule (a later run without it resumes to the end)"),
    ];
    public bool ReadsEngineJob => true;

    public async Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation)
    {
        var jobFile = arguments.RequiredText("job", "the engine job: model and pretrain sections (see eng/pretrain/)");
        var output = arguments.RequiredText("out", "the folder for model/, corpus.json, heldout.jsonl and checkpoints");
        var job = JobFile.Read(jobFile, Name);
        var result = await PretrainingRun.RunAsync(job, output, events.Write, cancellation, arguments.Int("stop-after"));
        events.Write(StageResult.ToEvent(Name, result));
        return 0;
    }
}
