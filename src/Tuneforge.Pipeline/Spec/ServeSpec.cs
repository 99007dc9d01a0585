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

    [Description("Which GGUF format to serve with backend: gguf.")]
    public string GgufFormat { get; init; } = "gguf_q8_0";

    [Description("Requests waiting beyond those running; past it the API answers 429.")]
    [Range(1, 100000)]
    public int MaxQueue { get; init; } = 64;

    [Description("Requests generated together in one engine batch.")]
    [Range(1, 1024)]
    public int MaxBatchSize { get; init; } = 8;

    [Description("Environment variable holding API keys (comma-separated); unset = no auth.")]
    public string? ApiKeysEnv { get; init; }
}
