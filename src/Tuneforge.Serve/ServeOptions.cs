using Tuneforge.Serve.Security;

namespace Tuneforge.Serve;

/// <summary>How the server listens, batches, limits and protects; defaults suit one CPU machine serving a small model.</summary>
public sealed record ServeOptions
{
    public const string DefaultUrl = "http://127.0.0.1:8000";

    /// <summary>Kestrel addresses; loopback unless told otherwise.</summary>
    public IReadOnlyList<string> Urls { get; init; } = [DefaultUrl];

    /// <summary>Requests generated together at most.</summary>
    public int MaxBatchSize { get; init; } = 8;

    /// <summary>How long the engine waits after a first request for others to batch with it.</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Requests waiting beyond those generating; past it the API answers 429 with Retry-After.</summary>
    public int MaxQueue { get; init; } = 64;

    /// <summary>Largest request body accepted (413 past it).</summary>
    public long MaxBodyBytes { get; init; } = 1 << 20;

    /// <summary>Longest prompt in tokens, after the chat template (also bounded by the model's context).</summary>
    public int MaxPromptTokens { get; init; } = 4096;

    /// <summary>The largest max_tokens a request may ask for.</summary>
    public int MaxTokensLimit { get; init; } = 4096;

    /// <summary>max_tokens of a chat completion that names none.</summary>
    public int DefaultMaxTokens { get; init; } = 512;

    /// <summary>From arrival to the last token; past it generation stops and the client gets 503 (or an error event).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Accepted Bearer keys; null or empty = no authentication.</summary>
    public ApiKeySet? ApiKeys { get; init; }

    /// <summary>Origins allowed by CORS; empty = CORS off (browsers on other origins are refused).</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>Write prompts and answers to the log (off: only sizes, timings and ids).</summary>
    public bool LogPrompts { get; init; }

    /// <summary>SQLite file for completions and feedback; null = /feedback off and nothing is stored.</summary>
    public string? FeedbackDatabase { get; init; }

    /// <summary>Completions kept for feedback at most (older ones without feedback are removed).</summary>
    public int MaxStoredCompletions { get; init; } = 100_000;

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
