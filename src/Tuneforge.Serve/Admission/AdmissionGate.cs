namespace Tuneforge.Serve.Admission;

/// <summary>
/// Bounds the generations the server holds: those generating (up to the batch size) plus those waiting (up to the queue
/// length). Past that a request is refused at once, with a Retry-After from recent durations, instead of waiting
/// until it times out.
/// </summary>
public sealed class AdmissionGate(int capacity)
{
    private int _held;
    private double _averageSeconds = 1.0;
    private readonly object _averageLock = new();

    public int Capacity { get; } = capacity;

    public int Held => Volatile.Read(ref _held);

    /// <summary>A slot for one generation, or null when the server is full.</summary>
    public Lease? TryEnter()
    {
        while (true)
        {
            var held = Volatile.Read(ref _held);
            if (held >= Capacity) return null;
            if (Interlocked.CompareExchange(ref _held, held + 1, held) == held) return new Lease(this);
        }
    }

    /// <summary>Seconds until a slot is likely free: the recent mean duration of a generation, at least 1.</summary>
    public int RetryAfterSeconds
    {
        get
        {
            lock (_averageLock) return (int)Math.Clamp(Math.Ceiling(_averageSeconds), 1, 600);
        }
    }

    private void Leave(TimeSpan held)
    {
        Interlocked.Decrement(ref _held);
        lock (_averageLock) _averageSeconds = 0.8 * _averageSeconds + 0.2 * held.TotalSeconds;
    }

    /// <summary>One admitted generation; disposing it frees the slot (once).</summary>
    public sealed class Lease(AdmissionGate gate) : IDisposable
    {
        private readonly long _start = System.Diagnostics.Stopwatch.GetTimestamp();
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Leave(System.Diagnostics.Stopwatch.GetElapsedTime(_start));
        }
    }
}
