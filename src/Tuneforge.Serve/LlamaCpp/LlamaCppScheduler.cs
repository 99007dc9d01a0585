using System.Threading.Channels;
using LLama;
using LLama.Batched;
using LLama.Native;
using Tuneforge.Serve.Generation;

namespace Tuneforge.Serve.LlamaCpp;

/// <summary>
/// Continuous batching on llama.cpp: every active request is a sequence of one <see cref="BatchedExecutor"/>, and each
/// decode step advances all of them in one batch. A waiting request joins at the next step (its prompt is decoded
/// alongside the others' next tokens) instead of waiting for a whole batch to end.
/// </summary>
internal sealed class LlamaCppScheduler : IDisposable
{
    private readonly Channel<GenerationJob> _waiting = Channel.CreateUnbounded<GenerationJob>();   // multi-reader: only that kind counts its items
    private readonly BatchedExecutor _executor;
    private readonly IReadOnlySet<int> _endOfSequence;
    private readonly int _maxActive;
    private readonly int _penaltyWindow;
    private readonly Action<int>? _onStep;
    private readonly Thread _worker;

    public LlamaCppScheduler(BatchedExecutor executor, IReadOnlySet<int> endOfSequence, int maxActive, int penaltyWindow, Action<int>? onStep)
    {
        _executor = executor;
        _endOfSequence = endOfSequence;
        _maxActive = maxActive;
        _penaltyWindow = penaltyWindow;
        _onStep = onStep;
        _worker = new Thread(Loop) { IsBackground = true, Name = "tuneforge-llamacpp" };
        _worker.Start();
    }

    public int Waiting => _waiting.Reader.Count;

    public void Submit(GenerationJob job)
    {
        if (!_waiting.Writer.TryWrite(job)) job.Fail(new ObjectDisposedException(nameof(LlamaCppScheduler), "the server is shutting down"));
    }

    private void Loop()
    {
        var active = new List<Sequence>();
        var reader = _waiting.Reader;
        try
        {
            while (true)
            {
                if (active.Count == 0 && !reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult()) break;
                while (active.Count < _maxActive && reader.TryRead(out var job))
                {
                    if (job.Cancellation.IsCancellationRequested) job.Abandon();
                    else active.Add(Start(job));
                }
                if (active.Count == 0) continue;

                _onStep?.Invoke(active.Count);
                var status = _executor.Infer().GetAwaiter().GetResult();
                if (status == DecodeResult.NoKvSlot)
                {
                    // Out of KV cache space: the newest request gives its room back to the others.
                    var newest = active[^1];
                    newest.Job.Fail(new CapacityException("the KV cache is full; retry shortly"));
                    newest.Release();
                    active.RemoveAt(active.Count - 1);
                    continue;
                }
                if (status != DecodeResult.Ok) throw new InvalidOperationException($"llama_decode failed: {status}");
                foreach (var sequence in active) Advance(sequence);
                active.RemoveAll(s => s.Released);
            }
        }
        catch (Exception e)
        {
            foreach (var sequence in active)
            {
                sequence.Job.Fail(e);
                sequence.Release();
            }
            while (reader.TryRead(out var job)) job.Fail(e);
            return;
        }
        foreach (var sequence in active) sequence.Release();
        while (reader.TryRead(out var left)) left.Fail(new ObjectDisposedException(nameof(LlamaCppScheduler), "the server is shutting down"));
    }

    private Sequence Start(GenerationJob job)
    {
        job.MarkStarted();
        var prompt = job.Prompt.Ids.Select(id => (LLamaToken)id).ToArray();
        var conversation = _executor.Create();
        conversation.Prompt(prompt);
        return new Sequence(job, conversation, new HfOrderSamplingPipeline(job.Sampling, prompt, _penaltyWindow), new StreamingTokenDecoder(_executor.Context));
    }

    private void Advance(Sequence sequence)
    {
        var job = sequence.Job;
        // A sequence with prompt tokens still queued keeps them until decoded: its id must not be reused before.
        if (sequence.Conversation.RequiresInference) return;
        if (job.Cancellation.IsCancellationRequested) job.Abandon();
        if (job.IsFinished || !sequence.Conversation.RequiresSampling)
        {
            if (job.IsFinished) sequence.Release();
            return;
        }
        var token = sequence.Conversation.Sample(sequence.Sampler);
        if (_endOfSequence.Contains((int)token))
        {
            job.EndOfSequence();
            sequence.Release();
            return;
        }
        sequence.Decoder.Add(token);
        if (job.Append(sequence.Decoder.Read())) sequence.Release();
        else sequence.Conversation.Prompt(token);
    }

    public void Dispose()
    {
        _waiting.Writer.TryComplete();
        _worker.Join();
    }

    private sealed class Sequence(GenerationJob job, Conversation conversation, HfOrderSamplingPipeline sampler, StreamingTokenDecoder decoder)
    {
        public GenerationJob Job { get; } = job;
        public Conversation Conversation { get; } = conversation;
        public HfOrderSamplingPipeline Sampler { get; } = sampler;
        public StreamingTokenDecoder Decoder { get; } = decoder;
        public bool Released { get; private set; }

        public void Release()
        {
            if (Released) return;
            Released = true;
            Conversation.Dispose();
            Sampler.Dispose();
        }
    }
}
