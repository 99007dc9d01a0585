using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Evaluation;
using Tuneforge.Engine.Protocol;
using Tuneforge.Engine.Training;
using Tuneforge.Metrics.Predictions;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary>
/// <c>predict --job job.json --out DIR</c>: the tuned model (and the base with evaluate.compare_base) answers the
/// test split; writes predictions.jsonl and perplexity.json (<see cref="PredictOutputs"/>) for the build to score.
/// </summary>
public sealed class PredictVerb : IVerb
{
    public string Name => PredictStage.Verb;
    public string Summary => "answer the test split with the tuned (and base) model: predictions.jsonl, perplexity.json";
    public IReadOnlyList<OptionSpec> Options { get; } = [];
    public bool ReadsEngineJob => true;

    public async Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation)
    {
        var job = JobFile.Read(arguments.RequiredText("job", "the engine job: model and evaluate sections, the test split and the Train output"), Name);
        var outputs = new PredictOutputs(Path.GetFullPath(arguments.RequiredText("out", "the folder for predictions.jsonl and perplexity.json")));
        Directory.CreateDirectory(outputs.Directory);
        var outcome = await EvaluationRun.RunAsync(job, events.Write, cancellation);

        PredictionsFile.Write(outputs.PredictionsPath, outcome.Examples.Select((e, i) => new PredictionRecord(
            e.Id, e.Category, PromptText(e), e.Reference,
            outcome.Tuned.Answers[i].Text, outcome.Base?.Answers[i].Text,
            outcome.PromptTokens[i], outcome.Tuned.Answers[i].CompletionTokens, outcome.Base?.Answers[i].CompletionTokens, e.Source,
            outcome.Tuned.Answers[i].Reasoning, outcome.Base?.Answers[i].Reasoning)));
        events.Write(new ArtifactEvent(outputs.PredictionsPath, "predictions", new FileInfo(outputs.PredictionsPath).Length));

        Perplexity(outcome).Write(outputs.PerplexityPath);
        events.Write(new ArtifactEvent(outputs.PerplexityPath, "perplexity", new FileInfo(outputs.PerplexityPath).Length));

        events.Write(StageResult.ToEvent(Name, new PredictResult
        {
            Examples = outcome.Examples.Count,
            TunedTokens = outcome.Tuned.Tokens,
            TunedSeconds = Math.Round(outcome.Tuned.Seconds, 3),
            TokensPerS = Math.Round(outcome.Tuned.Tokens / Math.Max(outcome.Tuned.Seconds, 1e-9), 1),
            BaseTokens = outcome.Base?.Tokens,
            BaseSeconds = outcome.Base is { } b ? Math.Round(b.Seconds, 3) : null,
            Perplexity = outcome.Tuned.Perplexity?.Overall,
            BasePerplexity = outcome.Base?.Perplexity?.Overall,
            PeakRssBytes = ProcessMemory.PeakRssBytes(),
        }));
        return 0;
    }

    // The prompt as a person reads it in the report: the user's last question, with earlier turns before it.
    static string PromptText(EvaluationExample example) =>
        string.Join("\n", example.Prompt.Where(m => m.Role != "system").Select(m => m.Role == "user" ? m.Content : $"[{m.Role}] {m.Content}"));

    static PerplexityReport Perplexity(EvaluationRun.Outcome outcome) => new()
    {
        Tuned = outcome.Tuned.Perplexity?.Overall,
        Base = outcome.Base?.Perplexity?.Overall,
        TunedByCategory = new(outcome.Tuned.Perplexity?.ByCategory ?? new Dictionary<string, double>()),
        BaseByCategory = new(outcome.Base?.Perplexity?.ByCategory ?? new Dictionary<string, double>()),
        ReferenceTokens = outcome.Tuned.Perplexity?.Tokens,
        GeneralTuned = outcome.Tuned.General?.Overall,
        GeneralBase = outcome.Base?.General?.Overall,
        GeneralTunedByFile = new(outcome.Tuned.General?.ByCategory ?? new Dictionary<string, double>()),
        GeneralBaseByFile = new(outcome.Base?.General?.ByCategory ?? new Dictionary<string, double>()),
        GeneralTokens = outcome.Tuned.General?.Tokens,
        GeneralDocuments = outcome.Tuned.General is null ? null : outcome.GeneralDocuments,
    };
}
