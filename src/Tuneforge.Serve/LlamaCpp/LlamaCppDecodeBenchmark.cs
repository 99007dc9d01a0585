using LLama;
using LLama.Common;
using LLama.Native;
using Tuneforge.Engine.Bench;

namespace Tuneforge.Serve.LlamaCpp;

/// <summary>
/// llama.cpp's greedy decode of a GGUF file at a batch size, with the context settings Serve uses (one sequence id per
/// request, a unified KV cache, llama.cpp's default f16 K/V): the reference the engine's decode is measured against.
/// </summary>
public sealed class LlamaCppDecodeBenchmark : IDisposable
{
    private readonly LLamaWeights _weights;
    private readonly LLamaContext _context;

    private LlamaCppDecodeBenchmark(LLamaWeights weights, LLamaContext context) => (_weights, _context) = (weights, context);

    public static LlamaCppDecodeBenchmark Load(string path, int threads, int maxBatch, int positionsPerSequence)
    {
        _ = LlamaCppBackend.QuietNativeLog.Value;
        var parameters = new ModelParams(path)
        {
            GpuLayerCount = 0,
            Threads = threads,
            BatchThreads = threads,
            ContextSize = (uint)(maxBatch * positionsPerSequence),
            SeqMax = (uint)maxBatch,
            KVUnified = true,
            BatchSize = (uint)Math.Max(512, maxBatch * positionsPerSequence),
            UBatchSize = 512,
        };
        var weights = LLamaWeights.LoadFromFile(parameters);
        try
        {
            return new LlamaCppDecodeBenchmark(weights, weights.CreateContext(parameters));
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    public DecodeTiming Measure(IReadOnlyList<int[]> prompts, int steps)
    {
        _context.NativeHandle.MemoryClear(true);
        var (batchSize, length) = (prompts.Count, prompts[0].Length);
        var batch = new LLamaBatch();
        var logitIndex = new int[batchSize];
        for (var s = 0; s < batchSize; s++)
            logitIndex[s] = batch.AddRange(prompts[s].Select(id => (LLamaToken)id).ToArray(), 0, (LLamaSeqId)s, logitsLast: true);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Decode(batch);
        var next = logitIndex.Select(Greedy).ToArray();
        var generated = next.Select(token => new List<int> { token }).ToList();
        var prefill = clock.Elapsed.TotalSeconds;
        clock.Restart();
        for (var step = 0; step < steps; step++)
        {
            batch.Clear();
            for (var s = 0; s < batchSize; s++) logitIndex[s] = batch.Add((LLamaToken)next[s], length + step, (LLamaSeqId)s, logits: true);
            Decode(batch);
            for (var s = 0; s < batchSize; s++) generated[s].Add(next[s] = Greedy(logitIndex[s]));
        }
        var decode = clock.Elapsed.TotalSeconds;
        return new DecodeTiming(batchSize, length, steps, prefill, decode, generated.Select(g => g.ToArray()).ToList());
    }

    private void Decode(LLamaBatch batch)
    {
        var result = _context.Decode(batch);
        if (result != DecodeResult.Ok) throw new InvalidOperationException($"llama_decode returned {result}");
    }

    private int Greedy(int index)
    {
        var logits = _context.NativeHandle.GetLogitsIth(index);
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
            if (logits[i] > logits[best]) best = i;
        return best;
    }

    public void Dispose()
    {
        _context.Dispose();
        _weights.Dispose();
    }
}
