using System.Text.Json.Nodes;
using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Protocol;
using Tuneforge.Engine.Runtime;
using Tuneforge.Hub.Sources;
using Tuneforge.Serve;
using Tuneforge.Serve.Feedback;
using Tuneforge.Serve.Generation;
using Tuneforge.Serve.Hosting;
using Tuneforge.Serve.LlamaCpp;
using Tuneforge.Serve.Security;
using Tuneforge.Serve.Torch;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary>
/// <c>serve --model DIR [--adapter DIR] | --gguf FILE [--urls ...]</c>: the HTTP API (OpenAI-compatible chat, the guide's
/// /generate, metrics, feedback) until Ctrl-C. <c>serve --export-feedback FILE</c> writes the rated responses as a dataset.
/// </summary>
public sealed class ServeVerb : IVerb
{
    public const string DefaultFeedbackDatabase = "tuneforge-feedback.db";

    public string Name => "serve";
    public string Summary => "serve a model over HTTP (OpenAI-compatible chat, /generate, /metrics, /feedback) until Ctrl-C";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("model", "a model folder (plain, merged or int8/int4), hf://org/name[@revision] or preset:NAME; with --gguf, optional"),
        new("adapter", "a PEFT LoRA adapter folder to apply to --model"),
        new("gguf", "a GGUF file to serve with llama.cpp instead of the engine"),
        new("preset-seed", "seed of a preset model's weights", Default: "0"),
        new("chat-template", "auto (from the tokenizer or GGUF metadata) or deepseek-r1, chatml, qwen, llama3", Default: "auto"),
        new("model-name", "the model id clients send and /v1/models lists", Default: "the folder, preset or file name"),
        new("urls", "addresses to listen on, separated by ';'", Default: ServeOptions.DefaultUrl),
        new("max-batch-size", "requests generated together at most", Default: "8"),
        new("batch-window-ms", "how long the engine waits for more requests to batch with the first", Default: "5"),
        new("max-queue", "requests waiting beyond those generating; past it 429 with Retry-After", Default: "64"),
        new("max-body-bytes", "largest request body (413 past it)", Default: "1048576"),
        new("max-prompt-tokens", "longest prompt after the chat template", Default: "4096"),
        new("max-tokens-limit", "largest max_tokens a request may ask for", Default: "4096"),
        new("default-max-tokens", "max_tokens of a chat completion that names none", Default: "512"),
        new("request-timeout", "seconds from arrival to the last token before a request is stopped (503)", Default: "300"),
        new("context-size", "GGUF: positions per request (prompt + generated)", Default: "the model's, at most 4096"),
        new("api-keys-env", "environment variable holding Bearer API keys (comma-separated); unset = no keys"),
        new("api-keys-file", "file of Bearer API keys, one per line"),
        new("cors-origins", "origins allowed by CORS, comma-separated (default: CORS off)"),
        new("log-prompts", "write prompts and answers to the log (off by default)", IsFlag: true),
        new("feedback-db", "SQLite file for responses and /feedback", Default: DefaultFeedbackDatabase),
        new("no-feedback", "store no responses; /feedback answers 404", IsFlag: true),
        new("max-stored-completions", "responses kept for feedback at most (the oldest unrated go first)", Default: "100000"),
        new("export-feedback", "write the rated responses of --feedback-db as a JSONL dataset to this file and exit"),
        new("min-rating", "with --export-feedback: the lowest rating exported (corrections are always exported)", Default: "4"),
        new("with-reasoning", "with --export-feedback: keep the model's <think> reasoning in exported answers", IsFlag: true),
        .. ComputeArguments.Options,
    ];

    public async Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation)
    {
        if (arguments.Text("export-feedback") is { } exportPath) return ExportFeedback(arguments, exportPath, events);

        var gguf = arguments.Text("gguf");
        var modelText = arguments.Text("model");
        if (gguf is null && modelText is null) throw new UsageException("serve: give --model (a model folder, hf://... or preset:NAME) or --gguf FILE");
        if (gguf is not null && arguments.Text("adapter") is not null) throw new UsageException("serve: --adapter applies to --model; a GGUF file has its adapter merged already");
        CheckPathsExist(modelText, arguments.Text("adapter"), gguf);
        var options = BuildOptions(arguments);
        var loader = gguf is not null ? GgufLoader(arguments, gguf, events) : TorchLoader(arguments, modelText!, events);
        await ServeHost.RunAsync(options, loader, message => events.Log(message), cancellation: cancellation);
        events.Log("stopped");
        return 0;
    }

    private static BackendLoader TorchLoader(ParsedArguments arguments, string model, EventWriter events)
    {
        var request = new TorchModelRequest(model, arguments.Text("adapter"), ComputeArguments.Parse(arguments), arguments.Long("preset-seed") ?? 0,
            arguments.Text("chat-template"), arguments.Text("model-name"));
        return async (batching, cancellation) => await TorchBackend.LoadAsync(request, batching, message => events.Log(message), cancellation);
    }

    private static BackendLoader GgufLoader(ParsedArguments arguments, string gguf, EventWriter events)
    {
        var request = new GgufModelRequest(gguf, arguments.Text("chat-template"), arguments.Text("model-name"), arguments.Int("threads") ?? 0, arguments.Int("context-size"));
        return (batching, cancellation) => Task.Run<IGenerationBackend>(() => LlamaCppBackend.Load(request, batching, message => events.Log(message)), cancellation);
    }

    private static ServeOptions BuildOptions(ParsedArguments arguments)
    {
        var defaults = new ServeOptions();
        try
        {
            var options = new ServeOptions
            {
                Urls = arguments.Text("urls")?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? defaults.Urls,
                MaxBatchSize = arguments.Int("max-batch-size") ?? defaults.MaxBatchSize,
                BatchWindow = arguments.Double("batch-window-ms") is double window ? TimeSpan.FromMilliseconds(window) : defaults.BatchWindow,
                MaxQueue = arguments.Int("max-queue") ?? defaults.MaxQueue,
                MaxBodyBytes = arguments.Long("max-body-bytes") ?? defaults.MaxBodyBytes,
                MaxPromptTokens = arguments.Int("max-prompt-tokens") ?? defaults.MaxPromptTokens,
                MaxTokensLimit = arguments.Int("max-tokens-limit") ?? defaults.MaxTokensLimit,
                DefaultMaxTokens = arguments.Int("default-max-tokens") ?? defaults.DefaultMaxTokens,
                RequestTimeout = arguments.Double("request-timeout") is double timeout ? TimeSpan.FromSeconds(timeout) : defaults.RequestTimeout,
                ApiKeys = ApiKeySet.FromSources(arguments.Text("api-keys-env"), arguments.Text("api-keys-file")),
                CorsOrigins = arguments.Text("cors-origins")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
                LogPrompts = arguments.Flag("log-prompts"),
                FeedbackDatabase = arguments.Flag("no-feedback") ? null : arguments.Text("feedback-db") ?? DefaultFeedbackDatabase,
                MaxStoredCompletions = arguments.Int("max-stored-completions") ?? defaults.MaxStoredCompletions,
            };
            options.Validate();
            return options;
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"serve: {e.Message}");
        }
    }

    // A missing model is reported before the port is taken; downloads and loading happen after, behind /readyz.
    private static void CheckPathsExist(string? model, string? adapter, string? gguf)
    {
        if (model is not null)
        {
            ModelSource source;
            try
            {
                source = ModelSource.Parse(model);
            }
            catch (ModelSourceFormatException e)
            {
                throw new UsageException($"serve: {e.Message}");
            }
            if (source is LocalModelSource local && !Directory.Exists(local.FullPath))
                throw new EngineException($"{local.FullPath}: model folder not found", $"--model takes {ModelSource.AcceptedForms}.");
        }
        if (adapter is not null && !Directory.Exists(adapter))
            throw new EngineException($"{Path.GetFullPath(adapter)}: adapter folder not found", "--adapter takes a PEFT adapter folder (adapter_config.json, adapter_model.safetensors).");
        if (gguf is not null && !File.Exists(gguf))
            throw new EngineException($"{Path.GetFullPath(gguf)}: GGUF file not found", "--gguf takes a .gguf file (the Quantize stage writes them).");
    }

    private static int ExportFeedback(ParsedArguments arguments, string path, EventWriter events)
    {
        var database = arguments.Text("feedback-db") ?? DefaultFeedbackDatabase;
        if (!File.Exists(database)) throw new EngineException($"{Path.GetFullPath(database)}: feedback database not found", "Pass --feedback-db with the file the server used.");
        var minRating = arguments.Int("min-rating") ?? 4;
        if (minRating is < 1 or > 5) throw new UsageException($"serve: --min-rating must be from 1 to 5, got {minRating}");
        using var store = new FeedbackStore(database);
        var result = FeedbackExporter.Export(store, path, minRating, arguments.Flag("with-reasoning"));
        events.Write(new ArtifactEvent(result.Path, "feedback-dataset", new FileInfo(result.Path).Length));
        events.Write(new ResultEvent("serve", new JsonObject
        {
            ["exported"] = result.Written,
            ["below_rating"] = result.BelowRating,
            ["empty_answer"] = result.EmptyAnswer,
            ["path"] = result.Path,
        }));
        return 0;
    }
}
