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
    public string Name => "pretrain";
    public string Summary => "pretrain a model on plain text (packed, loss on every token) from an engine job; resumes from checkpoints in --out";
    public IReadOnlyList<OptionSpec> Options { get; } = [];
    public bool ReadsEngineJob => true;

    public async Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation)
    {
        var jobFile = arguments.RequiredText("job", "the engine job: model and pretrain sections (see eng/pretrain/)");
        var output = arguments.RequiredText("out", "the folder for model/, corpus.json, heldout.jsonl and checkpoints");
        var job = JobFile.Read(jobFile, Name);
        var result = await PretrainingRun.RunAsync(job, output, events.Write, cancellation);
        events.Write(new ResultEvent(Name, result));
        return 0;
    }
}
