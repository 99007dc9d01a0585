using Prometheus;
using Tuneforge.Serve.Generation;

namespace Tuneforge.Serve.Observability;

/// <summary>
/// The server's Prometheus series, in a registry of its own (several servers can live in one process, as in tests):
/// requests by route and status, latency and time to first token, tokens generated and the per-request decode rate,
/// queue depth, requests in flight, batch sizes, and requests refused by the queue.
/// </summary>
public sealed class ServeMetrics
{
    private static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    public ServeMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        Requests = factory.CreateCounter("tuneforge_http_requests_total", "HTTP requests by route, method and status code.",
            new CounterConfiguration { LabelNames = ["route", "method", "status"] });
        RequestDuration = factory.CreateHistogram("tuneforge_http_request_duration_seconds", "Time from request arrival to the end of its response.",
            new HistogramConfiguration { LabelNames = ["route"], Buckets = LatencyBuckets });
        TimeToFirstToken = factory.CreateHistogram("tuneforge_time_to_first_token_seconds", "Time from request arrival to its first generated token (queue included).",
            new HistogramConfiguration { LabelNames = ["route"], Buckets = LatencyBuckets });
        QueueTime = factory.CreateHistogram("tuneforge_queue_time_seconds", "Time a generation waited before the model took it.",
            new HistogramConfiguration { Buckets = LatencyBuckets });
        GeneratedTokens = factory.CreateCounter("tuneforge_generated_tokens_total", "Tokens generated (rate() of it is the server's tokens per second).");
        PromptTokens = factory.CreateCounter("tuneforge_prompt_tokens_total", "Prompt tokens processed.");
        TokensPerSecond = factory.CreateHistogram("tuneforge_generation_tokens_per_second", "Decode speed of each request after its first token.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 14) });
        QueueDepth = factory.CreateGauge("tuneforge_queue_depth", "Generations waiting for the model.");
        InFlight = factory.CreateGauge("tuneforge_requests_in_flight", "Generations admitted and not finished (waiting or generating).");
        BatchSize = factory.CreateHistogram("tuneforge_batch_size", "Requests generated together per engine batch (per decode step for GGUF).",
            new HistogramConfiguration { Buckets = [1, 2, 4, 8, 16, 32, 64, 128] });
        Rejected = factory.CreateCounter("tuneforge_rejected_requests_total", "Generations refused before running, by reason.",
            new CounterConfiguration { LabelNames = ["reason"] });
        ModelInfo = factory.CreateGauge("tuneforge_model_info", "The model served (1 once loaded).",
            new GaugeConfiguration { LabelNames = ["model", "backend", "template"] });
    }

    public CollectorRegistry Registry { get; }
    public Counter Requests { get; }
    public Histogram RequestDuration { get; }
    public Histogram TimeToFirstToken { get; }
    public Histogram QueueTime { get; }
    public Counter GeneratedTokens { get; }
    public Counter PromptTokens { get; }
    public Histogram TokensPerSecond { get; }
    public Gauge QueueDepth { get; }
    public Gauge InFlight { get; }
    public Histogram BatchSize { get; }
    public Counter Rejected { get; }
    public Gauge ModelInfo { get; }

    /// <summary>Counts one finished generation.</summary>
    public void Observe(string route, GenerationResult result)
    {
        PromptTokens.Inc(result.PromptTokens);
        GeneratedTokens.Inc(result.CompletionTokens);
        QueueTime.Observe(result.QueueTime.TotalSeconds);
        if (result.TimeToFirstToken is { } first)
        {
            TimeToFirstToken.WithLabels(route).Observe(first.TotalSeconds);
            var decoding = (result.Duration - first).TotalSeconds;
            if (result.CompletionTokens > 1 && decoding > 0) TokensPerSecond.Observe((result.CompletionTokens - 1) / decoding);
        }
    }

    /// <summary>Reads the queue depth from the backend whenever /metrics is scraped.</summary>
    public void TrackQueue(Func<int> waiting) => Registry.AddBeforeCollectCallback(() => QueueDepth.Set(waiting()));
}
