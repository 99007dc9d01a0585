using System.Text.Json.Nodes;
using Tuneforge.Data.Training;
using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Protocol;
using Tuneforge.Engine.Runtime;
using Tuneforge.Hub.Sources;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Serve;
using Tuneforge.Data.Feedback;
using Tuneforge.Serve.Generation;
using Tuneforge.Serve.Hosting;
using Tuneforge.Serve.LlamaCpp;
using Tuneforge.Serve.Security;
using Tuneforge.Serve.Torch;
using Tuneforge.Text;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary>
/// <c>serve --model DIR [--adapter DIR] | --gguf FILE [--urls ...]</c>, or <c>serve --job job.json</c> (the Serve stage's
/// job, <see cref="ServeStage"/>): the HTTP API (OpenAI-compatible chat, the guide's /generate, metrics, feedback) until
/// Ctrl-C. Both forms become one <see cref="ServeRequest"/>. <c>serve --export-feedback FILE</c> writes the rated
/// responses as a dataset.
/// </summary>
public sealed class ServeVerb : IVerb
{
    public const string DefaultFeedbackDatabase = "tuneforge-feedback.db";

    static readonly ServeSpec Defaults = new();

    public string Name => ServeStage.Verb;
    public bool ReadsEngineJob => true;
    public string Summary => "serve a model over HTTP (OpenAI-compatible chat, /generate, /metrics, /feedback) until Ctrl-C";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("model", "a model folder (plain, merged or int8/int4), hf://org/name[@revision] or preset:NAME; with --gguf, optional"),
        new("adapter", "a PEFT LoRA adapter folder to apply to --model"),
        new("gguf", "a GGUF file to serve with llama.cpp instead of the engine"),
        new("preset-seed", "seed of a preset model's weights", Default: "0"),
        new("chat-template", "auto (the adapter's stored template, else as model.chat_template: auto; GGUF: its tokenizer.chat_template), tokenizer, or deepseek-r1, chatml, qwen, llama3", Default: "auto"),
        new("model-name", "the model id clients send and /v1/models lists", Default: "the folder, preset or file name"),
        new("urls", "addresses to listen on, separated by ';'", Default: Defaults.Urls),
        new("max-batch-size", "requests generated together at most", Default: $"{Defaults.MaxBatchSize}"),
        new("batch-window-ms", "how long the engine waits for more requests to batch with the first", Default: $"{Defaults.BatchWindowMs}"),
        new("max-queue", "requests waiting beyond those generating; past it 429 with Retry-After", Default: $"{Defaults.MaxQueue}"),
        new("max-body-bytes", "largest request body (413 past it)", Default: $"{Defaults.MaxBodyBytes}"),
        new("max-prompt-tokens", "longest prompt after the chat template", Default: $"{Defaults.MaxPromptTokens}"),
        new("max-tokens-limit", "largest max_tokens a request may ask for", Default: $"{Defaults.MaxTokensLimit}"),
        new("default-max-tokens", "max_tokens of a chat completion that names none", Default: $"{Defaults.DefaultMaxTokens}"),
        new("request-timeout", "seconds from arrival to the last token before a request is stopped (503)", Default: $"{Defaults.RequestTimeoutSeconds}"),
        new("context-size", "GGUF: positions per request (prompt + generated)", Default: "the model's, at most 4096"),
        new("api-keys-env", "environment variable holding Bearer API keys (comma-separated); unset = no keys"),
        new("api-keys-file", "file of Bearer API keys, one per line"),
        new("cors-origins", "origins allowed by CORS, comma-separated (default: CORS off)"),
        new("log-prompts", "write prompts and answers to the log (off by default)", IsFlag: true),
        new("feedback-db", "SQLite file for responses and /feedback", Default: DefaultFeedbackDatabase),
        new("no-feedback", "store no responses; /feedback answers 404", IsFlag: true),
        new("max-stored-completions", "responses kept for feedback at most (the oldest unrated go first)", Default: $"{Defaults.MaxStoredCompletions}"),
        new("export-feedback", "write the rated responses of --feedback-db as a JSONL dataset to this file and exit"),
        new("min-rating", "with --export-feedback: the lowest rating exported (corrections are always exported)", Default: "4"),
        new("preferences", "with --export-feedback: every rated response, labelled (KTO) by --min-rating; corrections as pairs", IsFlag: true),
        new("with-reasoning", "with --export-feedback: keep the model's <think> reasoning in exported answers", IsFlag: true),
        .. ComputeArguments.Options,
    ];

    public async Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation)
    {
        if (arguments.Text("export-feedback") is { } exportPath) return ExportFeedback(arguments, exportPath, events);
        var request = arguments.Text("job") is { } job ? ServeRequest.FromJob(JobFile.Read(job, Name), arguments) : FromCommandLine(arguments);
        CheckPathsExist(request.Model, request.Adapter, request.Gguf);
        var options = ServeOptionsOf(request);
        var loader = request.Gguf is { } gguf ? GgufLoader(request, gguf, events) : TorchLoader(request, events);
        await ServeHost.RunAsync(options, loader, message => events.Log(message), cancellation: cancellation);
        events.Log("stopped");
        return 0;
    }

    private static ServeRequest FromCommandLine(ParsedArguments arguments)
    {
        var gguf = arguments.Text("gguf");
        var model = arguments.Text("model");
        if (gguf is null && model is null) throw new UsageException("serve: give --model (a model folder, hf://... or preset:NAME) or --gguf FILE");
        if (gguf is not null && arguments.Text("adapter") is not null) throw new UsageException("serve: --adapter applies to --model; a GGUF file has its adapter merged already");
        var serve = new ServeSpec
        {
            Urls = arguments.Text("urls") ?? Defaults.Urls,
            MaxBatchSize = arguments.Int("max-batch-size") ?? Defaults.MaxBatchSize,
            BatchWindowMs = arguments.Int("batch-window-ms") ?? Defaults.BatchWindowMs,
            MaxQueue = arguments.Int("max-queue") ?? Defaults.MaxQueue,
            MaxBodyBytes = arguments.Long("max-body-bytes") ?? Defaults.MaxBodyBytes,
            MaxPromptTokens = arguments.Int("max-prompt-tokens") ?? Defaults.MaxPromptTokens,
            MaxTokensLimit = arguments.Int("max-tokens-limit") ?? Defaults.MaxTokensLimit,
            DefaultMaxTokens = arguments.Int("default-max-tokens") ?? Defaults.DefaultMaxTokens,
            RequestTimeoutSeconds = arguments.Int("request-timeout") ?? Defaults.RequestTimeoutSeconds,
            ContextSize = arguments.Int("context-size"),
            ApiKeysEnv = arguments.Text("api-keys-env"),
            ApiKeysFile = arguments.Text("api-keys-file"),
            CorsOrigins = arguments.Text("cors-origins")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() ?? [],
            LogPrompts = arguments.Flag("log-prompts"),
            Feedback = !arguments.Flag("no-feedback"),
            MaxStoredCompletions = arguments.Int("max-stored-completions") ?? Defaults.MaxStoredCompletions,
        };
        return new ServeRequest(serve, model, arguments.Text("adapter"), gguf, ComputeArguments.Parse(arguments), arguments.Long("preset-seed") ?? 0,
            arguments.Text("chat-template"), arguments.Text("model-name"), arguments.Text("feedback-db") ?? DefaultFeedbackDatabase, arguments.Int("threads") ?? 0);
    }

    private static ServeOptions ServeOptionsOf(ServeRequest request)
    {
        try
        {
            var options = ServeOptions.From(request.Serve, request.FeedbackDatabase) with { EvaluatedDecoding = request.EvaluatedDecoding };
            options.Validate();
            return options;
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"serve: {e.Message}");
        }
    }

    private static BackendLoader TorchLoader(ServeRequest request, EventWriter events)
    {
        var model = new TorchModelRequest(request.Model!, request.Adapter, request.Compute, request.PresetSeed, request.ChatTemplate, request.ModelName, request.Pipeline);
        return async (batching, cancellation) => await TorchBackend.LoadAsync(model, batching, message => events.Log(message), cancellation);
    }

    private static BackendLoader GgufLoader(ServeRequest request, string gguf, EventWriter events) => async (batching, cancellation) =>
    {
        // From the Serve stage, the template is the pipeline's, resolved with its base model's tokenizer as Train resolved it.
        ChatSetup? pipelineChat = null;
        if (request.Pipeline is { } pipeline)
        {
            var location = await ModelLocation.ResolveAsync(pipeline.Source, message => events.Log(message), cancellation);
            pipelineChat = ChatSetup.From(pipeline, HfTokenizer.Load(location.TokenizerDirectory));
        }
        var model = new GgufModelRequest(gguf, request.ChatTemplate, request.ModelName, request.Threads, request.Serve.ContextSize, pipelineChat);
        return await Task.Run<IGenerationBackend>(() => LlamaCppBackend.Load(model, batching, message => events.Log(message)), cancellation);
    };

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
        var result = FeedbackExporter.Export(store, path, minRating, arguments.Flag("with-reasoning"), arguments.Flag("preferences"));
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
