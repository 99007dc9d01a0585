using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Tuneforge.Pipeline.Spec;

public sealed record ServeSpec
{
    [Description("Addresses to listen on (Kestrel --urls).")]
    public string Urls { get; init; } = "http://127.0.0.1:8000";

    [Description("Backend: torch (base + adapter) or gguf (llama.cpp) with serve.gguf_format.")]
    [RegularExpression("^(torch|gguf)$")]
    public string Backend { get; init; } = "torch";

    [Description("Weights the torch backend serves: adapter (the base model with Train's adapter, or Train's full model), or Quantize's merged, int8 or int4 folder.")]
    [RegularExpression("^(adapter|merged|int8|int4)$")]
    public string Weights { get; init; } = "adapter";

    [Description("Which GGUF format to serve with backend: gguf.")]
    public string GgufFormat { get; init; } = "gguf_q8_0";

    [Description("Requests waiting beyond those running; past it the API answers 429.")]
    [Range(1, 100000)]
    public int MaxQueue { get; init; } = 64;

    [Description("Requests generated together in one engine batch.")]
    [Range(1, 1024)]
    public int MaxBatchSize { get; init; } = 8;

    [Description("Milliseconds the engine waits after a request for others to batch with it.")]
    [Range(0, 10000)]
    public int BatchWindowMs { get; init; } = 5;

    [Description("Seconds from a request's arrival to its last token; past it the request ends with 503.")]
    [Range(1, 86400)]
    public int RequestTimeoutSeconds { get; init; } = 300;

    [Description("Largest request body in bytes; past it the API answers 413.")]
    [Range(1024, int.MaxValue)]
    public long MaxBodyBytes { get; init; } = 1 << 20;

    [Description("Longest prompt in tokens, after the chat template (also bounded by the model's context).")]
    [Range(1, 1 << 20)]
    public int MaxPromptTokens { get; init; } = 4096;

    [Description("The largest max_tokens a request may ask for.")]
    [Range(1, 1 << 20)]
    public int MaxTokensLimit { get; init; } = 4096;

    [Description("max_tokens of a chat completion that names none.")]
    [Range(1, 1 << 20)]
    public int DefaultMaxTokens { get; init; } = 512;

    [Description("GGUF backend: positions per request (prompt + generated); null = the model's, at most 4096.")]
    [Range(16, 1 << 20)]
    public int? ContextSize { get; init; }

    [Description("Responses kept for feedback at most (the oldest unrated go first).")]
    [Range(1, int.MaxValue)]
    public int MaxStoredCompletions { get; init; } = 100_000;

    [Description("Environment variable holding API keys (comma-separated); unset = no auth.")]
    public string? ApiKeysEnv { get; init; }

    [Description("File of API keys, one per line (relative to the repository root).")]
    public string? ApiKeysFile { get; init; }

    [Description("Origins allowed by CORS; empty = CORS off.")]
    public List<string> CorsOrigins { get; init; } = [];

    [Description("Write prompts and answers to the log.")]
    public bool LogPrompts { get; init; }

    [Description("Store responses and /feedback in artifacts/<pipeline>/serve/feedback.db (export: tuneforge-engine serve --export-feedback).")]
    public bool Feedback { get; init; } = true;
}
