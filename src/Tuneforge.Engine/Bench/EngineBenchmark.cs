using System.Diagnostics;
using Tuneforge.Engine.Models;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Bench;

/// <summary>
/// One measured point: prefill and decode speed at a context length and dtype, the median over the measured rounds and
/// the best round (on a shared machine the best is the one least disturbed by other processes).
/// </summary>
public sealed record BenchmarkPoint(
    string DType,
    int Context,
    double PrefillTokensPerSecond,
    double DecodeTokensPerSecond,
    double BestPrefillTokensPerSecond,
    double BestDecodeTokensPerSecond,
    double DecodeMsFirst,
    double DecodeMsLast);

/// <summary>
/// Prefill (a forward over the whole context) and KV-cached decode speed of a ~100M-parameter Qwen2-shaped model
/// with random weights. A benchmark command, not a test: numbers go to docs/benchmarks.md.
/// </summary>
public static class EngineBenchmark
{
    /// <summary>Qwen2 layout: hidden 768, 12 layers, 12 query / 2 KV heads, FFN 2048, vocab 32,000, tied: ~98M parameters.</summary>
    public static readonly ModelConfig Qwen2_100M = new()
    {
        Architecture = ModelArchitecture.Qwen2,
        VocabSize = 32_000,
        HiddenSize = 768,
        IntermediateSize = 2048,
        NumHiddenLayers = 12,
        NumAttentionHeads = 12,
        NumKeyValueHeads = 2,
        HeadDim = 64,
        TieWordEmbeddings = true,
        MaxPositionEmbeddings = 8192,
    };

    public static BenchmarkPoint Measure(CausalLM model, int context, int decodeTokens, int repeats, long seed = 0)
    {
        using var _ = no_grad();
        using var generator = new Generator((ulong)seed);
        using var prompt = randint(model.Config.VocabSize, [1, context], generator: generator);

        var prefillSeconds = new List<double>();
        var decodeSeconds = new List<double>();
        var firstSteps = new List<double>();
        var lastSteps = new List<double>();
        for (var repeat = 0; repeat < repeats + 1; repeat++)   // the first round warms up and is not counted
        {
            using var cache = new KvCache(model.Config, 1, context + decodeTokens, model.Device, model.ActivationDType);
            var clock = Stopwatch.StartNew();
            long next;
            using (var scope = NewDisposeScope())
            {
                var output = model.call(new CausalLMInput(prompt, Cache: cache, Logits: LogitsMode.LastPosition));
                next = output.Logits!.argmax(-1).item<long>();
            }
            var prefill = clock.Elapsed.TotalSeconds;
            var steps = new List<double>();
            for (var i = 0; i < decodeTokens; i++)
            {
                var step = Stopwatch.StartNew();
                using var scope = NewDisposeScope();
                var output = model.call(new CausalLMInput(tensor(new[] { next }).view(1, 1), Cache: cache, Logits: LogitsMode.LastPosition));
                next = output.Logits!.argmax(-1).item<long>();
                steps.Add(step.Elapsed.TotalSeconds);
            }
            if (repeat == 0) continue;
            prefillSeconds.Add(prefill);
            decodeSeconds.Add(steps.Sum());
            firstSteps.Add(steps.Take(4).Average());
            lastSteps.Add(steps.TakeLast(4).Average());
        }
        return new BenchmarkPoint(
            Runtime.ComputeOptions.HfName(model.DType),
            context,
            context / Statistics.Median(prefillSeconds),
            decodeTokens / Statistics.Median(decodeSeconds),
            context / prefillSeconds.Min(),
            decodeTokens / decodeSeconds.Min(),
            Statistics.Median(firstSteps) * 1000,
            Statistics.Median(lastSteps) * 1000);
    }
}
