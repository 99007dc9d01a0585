using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Evaluation;
using Tuneforge.Engine.Protocol;
using Tuneforge.Metrics.Predictions;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary>
/// <c>evaluate --job job.json --out DIR</c>: the tuned model (and the base with evaluate.compare_base) answers the
/// test split; writes predictions.jsonl and perplexity.json for the build to score.
/// </summary>
public sealed class EvaluateVerb : IVerb
{
    public const string PredictionsFileName = "predictions.jsonl";
    public const string PerplexityFileName = "perplexity.json";

    public string Name => "evaluate";
    public string Summary => "answer the test split with the tuned (and base) model: predictions.jsonl, perplexity.json";
    public IReadOnlyList<OptionSpec> Options { get; } = [];
    public bool ReadsEngineJob => true;

    public async Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation)
    {
        var job = JobFile.Read(arguments.RequiredText("job", "the engine job: model and evaluate sections, the test split and the Train output"), Name);
        var output = Path.GetFullPath(arguments.RequiredText("out", "the folder for predictions.jsonl and perplexity.json"));
        Directory.CreateDirectory(output);
        var outcome = await EvaluationRun.RunAsync(job, events.Write, cancellation);

        var predictions = Path.Combine(output, PredictionsFileName);
        PredictionsFile.Write(predictions, outcome.Examples.Select((e, i) => new PredictionRecord(
            e.Id, e.Category, PromptText(e), e.Reference,
            outcome.Tuned.Answers[i].Text, outcome.Base?.Answers[i].Text,
            outcome.PromptTokens[i], outcome.Tuned.Answers[i].CompletionTokens, outcome.Base?.Answers[i].CompletionTokens, e.Source)));
        events.Write(new ArtifactEvent(predictions, "predictions", new FileInfo(predictions).Length));

        var perplexity = Path.Combine(output, PerplexityFileName);
        WriteAtomically(perplexity, Perplexity(outcome).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        events.Write(new ArtifactEvent(perplexity, "perplexity", new FileInfo(perplexity).Length));

        events.Write(new ResultEvent(Name, new JsonObject
        {
            ["examples"] = outcome.Examples.Count,
            ["tuned_tokens"] = outcome.Tuned.Tokens,
            ["tuned_seconds"] = Math.Round(outcome.Tuned.Seconds, 3),
            ["tokens_per_s"] = Math.Round(outcome.Tuned.Tokens / Math.Max(outcome.Tuned.Seconds, 1e-9), 1),
            ["base_tokens"] = outcome.Base?.Tokens,
            ["base_seconds"] = outcome.Base is { } b ? Math.Round(b.Seconds, 3) : null,
            ["perplexity"] = outcome.Tuned.Perplexity?.Overall,
            ["base_perplexity"] = outcome.Base?.Perplexity?.Overall,
        }));
        return 0;
    }

    // The prompt as a person reads it in the report: the user's last question, with earlier turns before it.
    static string PromptText(EvaluationExample example) =>
        string.Join("\n", example.Prompt.Where(m => m.Role != "system").Select(m => m.Role == "user" ? m.Content : $"[{m.Role}] {m.Content}"));

    static JsonObject Perplexity(EvaluationRun.Outcome outcome)
    {
        static JsonObject ByCategory(PerplexityMeter.Result? r) =>
            new(r?.ByCategory.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)) ?? []);
        return new JsonObject
        {
            ["tuned"] = outcome.Tuned.Perplexity?.Overall,
            ["base"] = outcome.Base?.Perplexity?.Overall,
            ["tuned_by_category"] = ByCategory(outcome.Tuned.Perplexity),
            ["base_by_category"] = ByCategory(outcome.Base?.Perplexity),
            ["reference_tokens"] = outcome.Tuned.Perplexity?.Tokens,
        };
    }

    static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
