using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Generation;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Protocol;
using Tuneforge.Files;
using Tuneforge.Text;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary><c>generate --model SRC --prompt "..."</c> (or <c>--prompts FILE.jsonl</c>): continues prompts, streaming tokens.</summary>
public sealed class GenerateVerb : IVerb
{
    public string Name => "generate";
    public string Summary => "continue prompts with a model (greedy or sampled), streaming tokens";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("model", "a model folder, hf://org/name[@revision] or preset:NAME"),
        new("prompt", "one prompt"),
        new("prompts", "a JSONL file of {\"prompt\": ...} or {\"messages\": [...]} lines"),
        new("chat-template", $"none (raw text), auto, tokenizer (its Jinja template) or a name: {string.Join(", ", ChatTemplates.Names)} (as model.chat_template)", Default: "none; auto for messages"),
        new("max-new-tokens", "tokens to generate at most per prompt", Default: "128"),
        new("greedy", "always take the most likely token (ignores generation_config.json's sampling)", IsFlag: true),
        new("do-sample", "sample instead of greedy", IsFlag: true),
        new("temperature", "sampling temperature", Default: "generation_config.json, else 1"),
        new("top-p", "nucleus sampling mass", Default: "generation_config.json, else 1"),
        new("top-k", "sample from the k most likely tokens (0 = all)", Default: "generation_config.json, else 0"),
        new("repetition-penalty", "penalty on repeated tokens (1 = none)", Default: "1"),
        new("seed", "sampling seed: the same seed gives the same text", Default: "0"),
        new("stop", "a stop string (repeatable)", Repeatable: true),
        new("batch-size", "prompts generated together (left padded)", Default: "8"),
        new("no-kv-cache", "recompute the whole sequence each step (slow; for checks)", IsFlag: true),
        new("no-stream", "do not emit token events", IsFlag: true),
        new("preset-seed", "seed of a preset model's weights", Default: "0"),
        .. ComputeArguments.Options,
    ];

    public async Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation)
    {
        var modelText = arguments.RequiredText("model", "the model to generate with");
        var prompts = ReadPrompts(arguments);
        var compute = ComputeArguments.Parse(arguments);
        var location = await ModelLocation.ResolveAsync(modelText, m => events.Log(m), cancellation);
        var tokenizer = HfTokenizer.Load(location.TokenizerDirectory);
        var template = ChooseTemplate(arguments.Text("chat-template"), prompts, tokenizer);
        var settings = BuildOptions(arguments, location, tokenizer, template);

        var encoded = prompts.Select(p => Encode(p, tokenizer, template)).ToList();
        events.Log($"loading {location.Source} on {compute.Device.type.ToString().ToLowerInvariant()} as {Runtime.ComputeOptions.HfName(compute.DType)}");
        using var model = ModelLoader.Load(location, compute, arguments.Long("preset-seed") ?? 0);
        var options = settings with { EosTokenIds = StopTokens.Resolve(model.Config, location.Directory, tokenizer, template) };
        var generator = new TextGenerator(model, ids => tokenizer.Decode(ids));
        var batchSize = Math.Max(1, arguments.Int("batch-size") ?? 8);
        var stream = !arguments.Flag("no-stream");

        var results = new List<GeneratedSequence>();
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < encoded.Count; start += batchSize)
        {
            var batch = encoded.Skip(start).Take(batchSize).ToList();
            var offset = start;
            var generated = generator.Generate(batch, options, stream
                ? token => events.Write(new TokenEvent(offset + token.SequenceIndex, token.Step, token.TokenId, token.TextDelta))
                : null, cancellation);
            results.AddRange(generated.Select(g => g with { Index = offset + g.Index }));
            events.Write(new ProgressEvent("generate", Math.Min(start + batchSize, encoded.Count), encoded.Count, "prompts"));
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var newTokens = results.Sum(r => r.Tokens.Length);

        var generations = results.Select(r => (JsonNode)new JsonObject
        {
            ["id"] = prompts[r.Index].Id,
            ["text"] = r.Text,
            ["finish_reason"] = r.FinishReason.ToString().ToLowerInvariant() switch { "stopstring" => "stop_string", var s => s },
            ["prompt_tokens"] = encoded[r.Index].Length,
            ["generated_tokens"] = r.Tokens.Length,
        }).ToArray();
        var output = arguments.Text("out");
        if (output is not null) WriteGenerations(output, generations, events);
        events.Write(new ResultEvent(Name, new JsonObject
        {
            ["generations"] = new JsonArray(generations),
            ["generated_tokens"] = newTokens,
            ["seconds"] = Math.Round(seconds, 3),
            ["tokens_per_s"] = seconds > 0 ? Math.Round(newTokens / seconds, 2) : null,
        }));
        return 0;
    }

    private static IReadOnlyList<PromptRecord> ReadPrompts(ParsedArguments arguments)
    {
        var (single, file) = (arguments.Text("prompt"), arguments.Text("prompts"));
        if ((single is null) == (file is null)) throw new UsageException("generate: give exactly one of --prompt and --prompts");
        return single is not null ? [new PromptRecord("0", single, null)] : PromptFile.Read(file!);
    }

    private static IChatTemplate? ChooseTemplate(string? name, IReadOnlyList<PromptRecord> prompts, HfTokenizer tokenizer)
    {
        var needsTemplate = prompts.Any(p => p.Messages is not null);
        return (name ?? (needsTemplate ? "auto" : "none")) switch
        {
            "none" when needsTemplate => throw new UsageException("generate: prompts with \"messages\" need a chat template; drop --chat-template none"),
            "none" => null,
            var choice => ChatTemplates.Resolve(choice, tokenizer),
        };
    }

    private static int[] Encode(PromptRecord prompt, HfTokenizer tokenizer, IChatTemplate? template)
    {
        if (template is not null) return template.RenderPrompt(prompt.Messages ?? [ChatMessage.User(prompt.Text!)], tokenizer);
        var ids = tokenizer.Encode(prompt.Text!);
        return tokenizer.AddBosToken && tokenizer.BosId is int bos ? [bos, .. ids] : ids;
    }

    private static GenerationOptions BuildOptions(ParsedArguments arguments, ModelLocation location, HfTokenizer tokenizer, IChatTemplate? template)
    {
        var defaults = GenerationConfigFile.Defaults(location);
        var options = defaults with
        {
            MaxNewTokens = arguments.Int("max-new-tokens") ?? 128,
            DoSample = !arguments.Flag("greedy") && (arguments.Flag("do-sample") || defaults.DoSample),
            Temperature = arguments.Double("temperature") ?? defaults.Temperature,
            TopP = arguments.Double("top-p") ?? defaults.TopP,
            TopK = arguments.Int("top-k") ?? defaults.TopK,
            RepetitionPenalty = arguments.Double("repetition-penalty") ?? defaults.RepetitionPenalty,
            Seed = arguments.Long("seed") ?? 0,
            StopStrings = [.. template?.StopStrings ?? [], .. arguments.All("stop")],
            PadTokenId = PaddingToken.For(tokenizer),
            UseKvCache = !arguments.Flag("no-kv-cache"),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"generate: {e.Message}");
        }
        return options;
    }

    private static void WriteGenerations(string output, JsonNode[] generations, EventWriter events)
    {
        Directory.CreateDirectory(output);
        var path = Path.Combine(output, "generations.jsonl");
        AtomicFile.WriteAllLines(path, generations.Select(g => g.ToJsonString(EventSerializer.Options)));
        events.Write(new ArtifactEvent(Path.GetFullPath(path), "generations", new FileInfo(path).Length));
    }
}
