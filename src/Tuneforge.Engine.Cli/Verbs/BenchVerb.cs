using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Tuneforge.Engine.Bench;
using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Protocol;
using Tuneforge.Engine.Runtime;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary><c>bench</c>: prefill and decode tokens/s of a ~100M Qwen2-shaped model at several contexts and dtypes.</summary>
public sealed class BenchVerb : IVerb
{
    public string Name => "bench";
    public string Summary => "measure prefill and KV-cached decode tokens/s of a ~100M-parameter Qwen2-shaped model";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("contexts", "comma-separated context lengths", Default: "128,1024,4096"),
        new("dtypes", "comma-separated dtypes", Default: "float32,bfloat16"),
        new("decode-tokens", "tokens decoded after each prefill", Default: "32"),
        new("repeats", "measured rounds per point (after one warm-up); median and best are reported", Default: "3"),
        new("device", "cpu or cuda[:N]", Default: "cpu"),
    ];

    public Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation)
    {
        var contexts = CommaList.Parse(Name, arguments.Text("contexts") ?? "128,1024,4096", s => int.Parse(s, CultureInfo.InvariantCulture));
        var dtypes = CommaList.Parse(Name, arguments.Text("dtypes") ?? "float32,bfloat16", ComputeOptions.ParseDType);
        var decodeTokens = arguments.Int("decode-tokens") ?? 32;
        var repeats = Math.Max(1, arguments.Int("repeats") ?? 3);
        var device = ComputeOptions.ParseDevice(arguments.Text("device") ?? "cpu");
        var config = EngineBenchmark.Qwen2_100M;

        var loadBefore = LoadAverage();
        var points = new List<BenchmarkPoint>();
        var total = contexts.Count * dtypes.Count;
        foreach (var dtype in dtypes)
        {
            using var model = new CausalLM(config, device, dtype);
            ParameterInitializer.Initialize(model, seed: 0);
            model.eval();
            events.Log($"{config.Traits.HfName} {model.ParameterCount():N0} parameters, {ComputeOptions.HfName(dtype)}, {get_num_threads()} threads");
            foreach (var context in contexts)
            {
                cancellation.ThrowIfCancellationRequested();
                var point = EngineBenchmark.Measure(model, context, decodeTokens, repeats);
                points.Add(point);
                events.Write(new ProgressEvent("bench", points.Count, total, "points"));
                events.Log($"{point.DType} context {point.Context}: prefill {point.PrefillTokensPerSecond:F0} tok/s, decode {point.DecodeTokensPerSecond:F1} tok/s");
            }
        }
        events.Write(new ResultEvent(Name, new JsonObject
        {
            ["model"] = config.ToJson(),
            ["load_average_before"] = loadBefore,
            ["load_average_after"] = LoadAverage(),
            ["threads"] = get_num_threads(),
            ["decode_tokens"] = decodeTokens,
            ["points"] = new JsonArray(points.Select(p => (JsonNode)new JsonObject
            {
                ["dtype"] = p.DType,
                ["context"] = p.Context,
                ["prefill_tokens_per_s"] = Math.Round(p.PrefillTokensPerSecond, 1),
                ["decode_tokens_per_s"] = Math.Round(p.DecodeTokensPerSecond, 2),
                ["best_prefill_tokens_per_s"] = Math.Round(p.BestPrefillTokensPerSecond, 1),
                ["best_decode_tokens_per_s"] = Math.Round(p.BestDecodeTokensPerSecond, 2),
                ["decode_ms_first_steps"] = Math.Round(p.DecodeMsFirst, 2),
                ["decode_ms_last_steps"] = Math.Round(p.DecodeMsLast, 2),
            }).ToArray()),
            ["table"] = Table(points),
        }));
        return Task.FromResult(0);
    }

    // The 1-minute load average (Linux): other processes on the machine skew CPU timings.
    private static string? LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : null;

    private static string Table(List<BenchmarkPoint> points)
    {
        var table = new StringBuilder("| dtype | context | prefill tok/s median (best) | decode tok/s median (best) | decode ms/token, first → last steps |\n|---|---:|---:|---:|---|\n");
        foreach (var p in points)
            table.Append(CultureInfo.InvariantCulture,
                $"| {p.DType} | {p.Context} | {p.PrefillTokensPerSecond:F0} ({p.BestPrefillTokensPerSecond:F0}) | {p.DecodeTokensPerSecond:F1} ({p.BestDecodeTokensPerSecond:F1}) | {p.DecodeMsFirst:F1} → {p.DecodeMsLast:F1} |\n");
        return table.ToString();
    }
}
