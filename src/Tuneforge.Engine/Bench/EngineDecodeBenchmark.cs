using System.Diagnostics;
using Tuneforge.Engine.Models;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Bench;

/// <summary>The engine's greedy decode at a batch size, as generation runs it: one prefill into a KV cache, then a token per step.</summary>
public static class EngineDecodeBenchmark
{
    public static DecodeTiming Measure(CausalLM model, IReadOnlyList<int[]> prompts, int steps)
    {
        using var _ = no_grad();
        var (batch, length) = (prompts.Count, prompts[0].Length);
        using var cache = new KvCache(model.Config, batch, length + steps, model.Device, model.ActivationDType);
        using var ids = tensor(prompts.SelectMany(p => p.Select(id => (long)id)).ToArray(), [batch, length], device: model.Device);
        var clock = Stopwatch.StartNew();
        var next = Greedy(model, ids, cache, batch);
        var generated = Enumerable.Range(0, batch).Select(_ => new List<int>()).ToList();
        Keep(generated, next);
        var prefill = clock.Elapsed.TotalSeconds;
        clock.Restart();
        for (var step = 0; step < steps; step++)
        {
            using var input = tensor(next, [batch, 1], device: model.Device);
            next = Greedy(model, input, cache, batch);
            Keep(generated, next);
        }
        var decode = clock.Elapsed.TotalSeconds;
        return new DecodeTiming(batch, length, steps, prefill, decode, generated.Select(g => g.ToArray()).ToList());
    }

    private static void Keep(List<List<int>> generated, long[] next)
    {
        for (var s = 0; s < next.Length; s++) generated[s].Add((int)next[s]);
    }

    // The next token of every sequence, read back to the host as generation does each step.
    private static long[] Greedy(CausalLM model, Tensor ids, KvCache cache, int batch)
    {
        using var scope = NewDisposeScope();
        var output = model.call(new CausalLMInput(ids, Cache: cache, Logits: LogitsMode.LastPosition));
        return output.Logits!.reshape(batch, -1).argmax(-1).cpu().data<long>().ToArray();
    }
}
