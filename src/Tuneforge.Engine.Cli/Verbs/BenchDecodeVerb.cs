using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Tuneforge.Engine.Bench;
using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Protocol;
using Tuneforge.Engine.Runtime;
using Tuneforge.Serve.LlamaCpp;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary>
/// <c>bench-decode</c>: greedy decode tokens/s of the engine on a Hugging Face folder beside llama.cpp (LLamaSharp) on the
/// same weights as GGUF files, at several batch sizes, in one process with the systems interleaved round by round.
/// </summary>
public sealed class BenchDecodeVerb : IVerb
{
    public string Name => "bench-decode";
    public string Summary => "greedy decode tokens/s of the engine beside llama.cpp on the same weights (GGUF), batches interleaved";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("model", "the Hugging Face folder the engine loads (Quantize's merged/, or a preset written by init)"),
        new("gguf", "comma-separated GGUF files of the same weights for llama.cpp (the first is the reference of the ratios)"),
        new("dtypes", "comma-separated engine dtypes", Default: "bfloat16"),
        new("batches", "comma-separated batch sizes", Default: "1,8"),
        new("prompt", "prompt tokens per sequence (random ordinary ids, the same for every system)", Default: "16"),
        new("steps", "decode steps per measurement", Default: "32"),
        new("rounds", "measured rounds after one warm-up (median reported)", Default: "3"),
    ];

    public Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation)
    {
        var modelDirectory = Path.GetFullPath(arguments.RequiredText("model", "the engine's model folder"));
        if (!File.Exists(Path.Combine(modelDirectory, PretrainedModel.ConfigFileName)))
            throw new UsageException($"bench-decode: {modelDirectory} has no config.json", "Give --model a Hugging Face folder (tuneforge-engine init --preset ... --out DIR writes one).");
        var ggufs = CommaList.Parse(Name, arguments.Text("gguf") ?? "", Path.GetFullPath);
        foreach (var missing in ggufs.Where(g => !File.Exists(g)))
            throw new UsageException($"bench-decode: {missing}: GGUF file not found", "Quantize writes model-gguf_f16.gguf and model-gguf_q8_0.gguf beside merged/.");
        var dtypes = CommaList.Parse(Name, arguments.Text("dtypes") ?? "bfloat16", ComputeOptions.ParseDType);
        var batches = CommaList.Parse(Name, arguments.Text("batches") ?? "1,8", s => int.Parse(s, CultureInfo.InvariantCulture));
        var (promptLength, steps, rounds) = (arguments.Int("prompt") ?? 16, arguments.Int("steps") ?? 32, Math.Max(1, arguments.Int("rounds") ?? 3));
        var threads = get_num_threads();
        var config = ModelConfig.Load(Path.Combine(modelDirectory, PretrainedModel.ConfigFileName));

        var systems = new List<(string Name, Func<IReadOnlyList<int[]>, DecodeTiming> Measure, IDisposable Owner)>();
        try
        {
            foreach (var dtype in dtypes)
            {
                // As Serve and Evaluate run it: bfloat16 weights compute in float32 where the CPU only emulates bfloat16.
                var compute = new ComputeOptions(CPU, dtype).WithNativeMath();
                var model = PretrainedModel.Load(modelDirectory, compute);
                systems.Add(($"engine {compute.Describe()}", prompts => EngineDecodeBenchmark.Measure(model, prompts, steps), model));
            }
            foreach (var gguf in ggufs)
            {
                var llama = LlamaCppDecodeBenchmark.Load(gguf, threads, batches.Max(), promptLength + steps + 8);
                systems.Add(($"llama.cpp {Path.GetFileNameWithoutExtension(gguf)}", prompts => llama.Measure(prompts, steps), llama));
            }
            events.Log($"{systems.Count} systems, {get_num_threads()} threads, prompts of {promptLength}, {steps} steps, batches {string.Join(",", batches)}");

            var timings = systems.ToDictionary(s => s.Name, _ => batches.ToDictionary(b => b, _ => new List<DecodeTiming>()));
            for (var round = 0; round <= rounds; round++)   // round 0 warms up and is not counted
            {
                foreach (var batch in batches)
                {
                    var prompts = DecodeTiming.Prompts(batch, promptLength, config.VocabSize, seed: round * 100 + batch);
                    foreach (var system in systems)
                    {
                        cancellation.ThrowIfCancellationRequested();
                        var timing = system.Measure(prompts);
                        if (round > 0) timings[system.Name][batch].Add(timing);
                        events.Log($"round {round} batch {batch} {system.Name}: {timing.TokensPerSecond:F1} tokens/s ({timing.MsPerStep:F0} ms a step)");
                    }
                }
            }
            events.Write(new ResultEvent(Name, Result(modelDirectory, config, systems.Select(s => s.Name).ToList(), batches, timings, promptLength, steps, threads)));
            return Task.FromResult(0);
        }
        finally
        {
            foreach (var system in systems) system.Owner.Dispose();
        }
    }

    private static JsonObject Result(string model, ModelConfig config, List<string> systems, List<int> batches,
        Dictionary<string, Dictionary<int, List<DecodeTiming>>> timings, int prompt, int steps, int threads)
    {
        double RateOf(string system, int batch) => Statistics.Median(timings[system][batch].Select(t => t.TokensPerSecond));
        var reference = systems.FirstOrDefault(s => s.StartsWith("llama.cpp", StringComparison.Ordinal));
        var table = new StringBuilder($"| system | batch | decode tokens/s (median) | ms a step | prefill tokens/s | vs {reference ?? "–"} |\n|---|---:|---:|---:|---:|---:|\n");
        var points = new JsonArray();
        foreach (var batch in batches)
            foreach (var system in systems)
            {
                var rate = RateOf(system, batch);
                var prefill = Statistics.Median(timings[system][batch].Select(t => t.Batch * t.PromptTokens / t.PrefillSeconds));
                var ratio = reference is null ? (double?)null : rate / RateOf(reference, batch);
                table.Append(CultureInfo.InvariantCulture,
                    $"| {system} | {batch} | {rate:F1} | {Statistics.Median(timings[system][batch].Select(t => t.MsPerStep)):F0} | {prefill:F0} | {(ratio is { } r ? $"{r:F2}×" : "–")} |\n");
                points.Add(new JsonObject
                {
                    ["system"] = system,
                    ["batch"] = batch,
                    ["decode_tokens_per_s"] = Math.Round(rate, 2),
                    ["prefill_tokens_per_s"] = Math.Round(prefill, 1),
                    ["ratio_to_reference"] = ratio is { } value ? Math.Round(value, 3) : null,
                    ["rounds_tokens_per_s"] = new JsonArray(timings[system][batch].Select(t => (JsonNode)Math.Round(t.TokensPerSecond, 2)).ToArray()),
                });
            }
        return new JsonObject
        {
            ["model"] = model,
            ["parameters"] = config.ToJson(),
            ["threads"] = threads,
            ["prompt_tokens"] = prompt,
            ["steps"] = steps,
            ["points"] = points,
            ["table"] = table.ToString(),
        };
    }
}
