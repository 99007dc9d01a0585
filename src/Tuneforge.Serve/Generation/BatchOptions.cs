namespace Tuneforge.Serve.Generation;

/// <summary>How a backend batches concurrent requests.</summary>
/// <param name="MaxBatchSize">Requests generated together at most.</param>
/// <param name="Window">How long the engine waits for more requests after the first before starting a batch.</param>
/// <param name="OnBatch">Told the size of each batch started (for metrics).</param>
public sealed record BatchOptions(int MaxBatchSize, TimeSpan Window, Action<int>? OnBatch = null);
