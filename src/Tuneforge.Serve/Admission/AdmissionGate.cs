namespace Tuneforge.Serve.Admission;

/// <summary>Why a generation was refused.</summary>
public enum Refusal
{
    /// <summary>Batch and queue are full.</summary>
    QueueFull,
    /// <summary>At the recent pace, the request would wait past its timeout: refused now rather than timed out later.</summary>
    WouldTimeOut,
}

/// <summary>
/// Bounds the generations the server holds: those generating (up to the batch size) plus those waiting (up to the queue
/// length). It also refuses a request that, at the recent pace (the mean service time of a generation, batches of
/// <c>concurrency</c> at a time), could not finish within two thirds of the request timeout. A refused client gets 429 at once with
/// a Retry-After instead of waiting to time out.
/// </summary>
public sealed class AdmissionGate(int capacity, int concurrency, TimeSpan timeout)
{
    private const double Smoothing = 0.2;
    // The pace of a shared CPU changes by 2x within a minute: admit only what would finish in two thirds of the timeout.
    // Throughput does not suffer, since one batch of waiting requests is all the engine needs to stay busy.
    private const double SafetyFactor = 1.5;
    private readonly object _lock = new();
    private int _held;
    private double _serviceSeconds;   // 0 until a generation has finished

    public int Capacity { get; } = capacity;

    public int Held
    {
        get
        {
            lock (_lock) return _held;
        }
    }

    /// <summary>A slot for one generation, or why there is none.</summary>
    public (Lease? Lease, Refusal Refusal) TryEnter()
    {
        lock (_lock)
        {
            if (_held >= Capacity) return (null, Refusal.QueueFull);
            var rounds = Math.Ceiling((_held + 1) / (double)concurrency);
            if (_serviceSeconds > 0 && rounds * _serviceSeconds * SafetyFactor > timeout.TotalSeconds) return (null, Refusal.WouldTimeOut);
            _held++;
            return (new Lease(this), default);
        }
    }

    /// <summary>Seconds until a slot is likely free: the recent mean service time of a generation, from 1 to 600.</summary>
    public int RetryAfterSeconds
    {
        get
        {
            lock (_lock) return (int)Math.Clamp(Math.Ceiling(_serviceSeconds), 1, 600);
        }
    }

    private void Leave(TimeSpan? service)
    {
        lock (_lock)
        {
            _held--;
            if (service is { } time) _serviceSeconds = _serviceSeconds == 0 ? time.TotalSeconds : (1 - Smoothing) * _serviceSeconds + Smoothing * time.TotalSeconds;
        }
    }

    /// <summary>One admitted generation; releasing it frees the slot (once).</summary>
    public sealed class Lease(AdmissionGate gate) : IDisposable
    {
        private int _released;

        /// <summary>Frees the slot; <paramref name="service"/> (generation time without queueing) updates the pace when the generation completed.</summary>
        public void Release(TimeSpan? service)
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Leave(service);
        }

        public void Dispose() => Release(null);
    }
}
