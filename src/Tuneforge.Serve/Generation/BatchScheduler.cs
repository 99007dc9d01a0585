using System.Diagnostics;
using System.Threading.Channels;

namespace Tuneforge.Serve.Generation;

/// <summary>
/// Batches waiting jobs for a model that generates a batch at a time (the engine): when the model is free it takes the
/// first waiting job, collects more for up to <c>window</c> (or until <c>maxBatch</c>), and runs them together on one
/// worker thread. Jobs that arrive while a batch runs wait for the next one.
/// </summary>
public sealed class BatchScheduler : IDisposable
{
    private readonly Channel<GenerationJob> _waiting = Channel.CreateUnbounded<GenerationJob>();   // multi-reader: only that kind counts its items
    private readonly Action<IReadOnlyList<GenerationJob>> _run;
    private readonly int _maxBatch;
    private readonly TimeSpan _window;
    private readonly Action<int>? _onBatch;
    private readonly Thread _worker;

    public BatchScheduler(Action<IReadOnlyList<GenerationJob>> run, int maxBatch, TimeSpan window, Action<int>? onBatch = null)
    {
        _run = run;
        _maxBatch = maxBatch;
        _window = window;
        _onBatch = onBatch;
        _worker = new Thread(Loop) { IsBackground = true, Name = "tuneforge-batches" };
        _worker.Start();
    }

    public int Waiting => _waiting.Reader.Count;

    public void Submit(GenerationJob job)
    {
        if (!_waiting.Writer.TryWrite(job)) job.Fail(new ObjectDisposedException(nameof(BatchScheduler), "the server is shutting down"));
    }

    private void Loop()
    {
        var reader = _waiting.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            var batch = new List<GenerationJob>(_maxBatch);
            Collect(batch);
            var deadline = Stopwatch.GetTimestamp() + (long)(_window.TotalSeconds * Stopwatch.Frequency);
            while (batch.Count < _maxBatch)
            {
                var left = TimeSpan.FromSeconds((deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
                if (left <= TimeSpan.Zero || !WaitFor(reader, left)) break;
                Collect(batch);
            }
            foreach (var job in batch.Where(j => j.Cancellation.IsCancellationRequested)) job.Abandon();
            batch.RemoveAll(j => j.IsFinished);
            if (batch.Count == 0) continue;
            _onBatch?.Invoke(batch.Count);
            try
            {
                _run(batch);
            }
            catch (Exception e)
            {
                foreach (var job in batch) job.Fail(e);
            }
        }
        while (reader.TryRead(out var left)) left.Fail(new ObjectDisposedException(nameof(BatchScheduler), "the server is shutting down"));
    }

    private void Collect(List<GenerationJob> batch)
    {
        while (batch.Count < _maxBatch && _waiting.Reader.TryRead(out var job)) batch.Add(job);
    }

    private static bool WaitFor(ChannelReader<GenerationJob> reader, TimeSpan timeout)
    {
        using var timer = new CancellationTokenSource(timeout);
        try
        {
            return reader.WaitToReadAsync(timer.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _waiting.Writer.TryComplete();
        _worker.Join();
    }
}
