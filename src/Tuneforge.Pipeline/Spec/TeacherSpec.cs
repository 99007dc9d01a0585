using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Tuneforge.Pipeline.Spec;

/// <summary>The teacher model that Reason and Augment ask: any OpenAI-compatible chat endpoint, or the pipeline's own
/// base model served by the engine for the stage's length (docs/reasoning.md).</summary>
public sealed record TeacherSpec
{
    /// <summary>The <see cref="BaseUrl"/> that makes the pipeline's base model the teacher.</summary>
    public const string Local = "local";

    /// <summary>The <see cref="Model"/> of an endpoint when none is named.</summary>
    public const string DefaultModel = "deepseek-reasoner";

    [Description("Base URL of an OpenAI-compatible API, up to and including /v1 (https://api.deepseek.com/v1, http://127.0.0.1:8000/v1 for vLLM, llama.cpp's server or Tuneforge's Serve), or local: the pipeline's base model (model.source), served by the engine on loopback while the stage runs.")]
    [RegularExpression("^(https?://.+|local)$")]
    public string BaseUrl { get; init; } = "https://api.deepseek.com/v1";

    [Description("The model name the endpoint serves (deepseek-reasoner, deepseek-chat, the name Serve or vLLM was started with); not set with base_url: local.")]
    [Required]
    public string Model { get; init; } = DefaultModel;

    /// <summary>Whether the teacher is the pipeline's base model in the engine (<c>base_url: local</c>).</summary>
    public bool IsLocal => BaseUrl == Local;

    [Description("Name of the environment variable that holds the API key (sent as a Bearer token); never the key itself. Unset for servers without keys.")]
    public string? ApiKeyEnv { get; init; }

    [Description("Requests in flight at once.")]
    [Range(1, 256)]
    public int MaxConcurrency { get; init; } = 4;

    [Description("Retries of a request answered 429 or 5xx, or not answered in time; waits Retry-After when the server sends it, else doubles from retry_delay_s.")]
    [Range(0, 100)]
    public int MaxRetries { get; init; } = 5;

    [Description("First wait before a retry, in seconds; doubled each retry up to 60 s.")]
    [Range(0.0, 600.0)]
    public double RetryDelayS { get; init; } = 1.0;

    [Description("Seconds one request may take before it counts as failed (and is retried).")]
    [Range(0.1, 3600.0)]
    public double RequestTimeoutS { get; init; } = 300.0;

    [Description("Spend limit: the run stops with an error once the endpoint reports this many tokens (prompt + completion) in total; 0 = no limit. Cached answers cost nothing.")]
    [Range(0L, long.MaxValue)]
    public long MaxTotalTokens { get; init; }

    [Description("Sampling temperature (DeepSeek recommends 0.6 for R1).")]
    [Range(0.0, 2.0)]
    public double Temperature { get; init; } = 0.6;

    [Description("Nucleus sampling.")]
    [Range(0.0, 1.0)]
    public double TopP { get; init; } = 0.95;

    [Description("Largest answer in tokens (max_tokens).")]
    [Range(1, 1_000_000)]
    public int MaxTokens { get; init; } = 4096;

    [Description("Seed sent with each request (sample i of a record uses seed + i); endpoints that ignore it still get distinct cache entries per sample.")]
    public int Seed { get; init; } = 42;
}
