using Tuneforge.Pipeline.Spec;
using Tuneforge.Serve.Security;

namespace Tuneforge.Serve;

/// <summary>How the server listens, batches, limits and protects. The defaults are the pipeline's serve section's
/// (<see cref="ServeSpec"/>): one CPU machine serving a small model.</summary>
public sealed record ServeOptions
{
    static readonly ServeSpec Defaults = new();

    /// <summary>Kestrel addresses; loopback unless told otherwise.</summary>
    public IReadOnlyList<string> Urls { get; init; } = SplitUrls(Defaults.Urls);

    /// <summary>Requests generated together at most.</summary>
    public int MaxBatchSize { get; init; } = Defaults.MaxBatchSize;

    /// <summary>How long the engine waits after a first request for others to batch with it.</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(Defaults.BatchWindowMs);

    /// <summary>Requests waiting beyond those generating; past it the API answers 429 with Retry-After.</summary>
    public int MaxQueue { get; init; } = Defaults.MaxQueue;

    /// <summary>Largest request body accepted (413 past it).</summary>
    public long MaxBodyBytes { get; init; } = Defaults.MaxBodyBytes;

    /// <summary>Longest prompt in tokens, after the chat template (also bounded by the model's context).</summary>
    public int MaxPromptTokens { get; init; } = Defaults.MaxPromptTokens;

    /// <summary>The largest max_tokens a request may ask for.</summary>
    public int MaxTokensLimit { get; init; } = Defaults.MaxTokensLimit;

    /// <summary>max_tokens of a chat completion that names none.</summary>
    public int DefaultMaxTokens { get; init; } = Defaults.DefaultMaxTokens;

    /// <summary>From arrival to the last token; past it generation stops and the client gets 503 (or an error event).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(Defaults.RequestTimeoutSeconds);

    /// <summary>Accepted Bearer keys; null or empty = no authentication.</summary>
    public ApiKeySet? ApiKeys { get; init; }

    /// <summary>Origins allowed by CORS; empty = CORS off (browsers on other origins are refused).</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>Write prompts and answers to the log (off: only sizes, timings and ids).</summary>
    public bool LogPrompts { get; init; }

    /// <summary>SQLite file for completions and feedback; null = /feedback off and nothing is stored.</summary>
    public string? FeedbackDatabase { get; init; }

    /// <summary>Completions kept for feedback at most (older ones without feedback are removed).</summary>
    public int MaxStoredCompletions { get; init; } = Defaults.MaxStoredCompletions;

    /// <summary>How the pipeline evaluated the served model (e.g. "greedy decoding, at most 256 new tokens"); the ready
    /// line states it so a client knows which settings the measured answers came from.</summary>
    public string? EvaluatedDecoding { get; init; }

    /// <summary>The options of a pipeline's serve section; <paramref name="feedbackDatabase"/> null stores nothing.</summary>
    public static ServeOptions From(ServeSpec spec, string? feedbackDatabase) => new()
    {
        Urls = SplitUrls(spec.Urls),
        MaxBatchSize = spec.MaxBatchSize,
        BatchWindow = TimeSpan.FromMilliseconds(spec.BatchWindowMs),
        MaxQueue = spec.MaxQueue,
        MaxBodyBytes = spec.MaxBodyBytes,
        MaxPromptTokens = spec.MaxPromptTokens,
        MaxTokensLimit = spec.MaxTokensLimit,
        DefaultMaxTokens = spec.DefaultMaxTokens,
        RequestTimeout = TimeSpan.FromSeconds(spec.RequestTimeoutSeconds),
        ApiKeys = ApiKeySet.FromSources(spec.ApiKeysEnv, spec.ApiKeysFile),
        CorsOrigins = spec.CorsOrigins,
        LogPrompts = spec.LogPrompts,
        FeedbackDatabase = spec.Feedback ? feedbackDatabase : null,
        MaxStoredCompletions = spec.MaxStoredCompletions,
    };

    /// <summary>Kestrel's form: addresses separated by ';'.</summary>
    public static IReadOnlyList<string> SplitUrls(string urls) => urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (Urls.Count == 0) throw new ArgumentException("urls: give at least one address, e.g. http://127.0.0.1:8000");
        foreach (var url in Urls)
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new ArgumentException($"urls: '{url}' is not an http:// address (e.g. http://127.0.0.1:8000)");
        }
        Positive(MaxBatchSize, "max-batch-size");
        Positive(MaxQueue, "max-queue");
        Positive(MaxPromptTokens, "max-prompt-tokens");
        Positive(MaxTokensLimit, "max-tokens-limit");
        Positive(DefaultMaxTokens, "default-max-tokens");
        Positive(MaxStoredCompletions, "max-stored-completions");
        if (DefaultMaxTokens > MaxTokensLimit) throw new ArgumentException($"default-max-tokens ({DefaultMaxTokens}) is above max-tokens-limit ({MaxTokensLimit})");
        if (MaxBodyBytes < 1024) throw new ArgumentException($"max-body-bytes must be at least 1024, got {MaxBodyBytes}");
        if (BatchWindow < TimeSpan.Zero) throw new ArgumentException("batch-window-ms must be ≥ 0");
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentException("request-timeout must be > 0");
        foreach (var origin in CorsOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out _)) throw new ArgumentException($"cors-origins: '{origin}' is not an origin like https://app.example.com");
        }
    }

    private static void Positive(int value, string name)
    {
        if (value < 1) throw new ArgumentException($"{name} must be at least 1, got {value}");
    }
}
