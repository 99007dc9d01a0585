using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Engine.Bench;
using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Protocol;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Training.Bench;
using Tuneforge.Pipeline.Spec;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary>
/// <c>bench-train</c>: LoRA training tokens/s and peak memory of the engine on a ~100M Qwen2-shaped model, beside a
/// PyTorch eager reference of the same step (bench/train-reference/lora_step_reference.py), interleaved round by round,
/// with the bf16 matmul peak measured in the same run for the FLOPs utilization; QLoRA's peak memory beside LoRA's.
/// Every configuration runs in its own process, so peak resident memory is that configuration's alone.
/// </summary>
public sealed class BenchTrainVerb : IVerb
{
    public string Name => "bench-train";
    public string Summary => "LoRA/QLoRA training tokens/s, FLOPs utilization and peak memory beside a PyTorch eager reference";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("dtypes", "comma-separated dtypes", Default: "float32,bfloat16"),
        new("batch", "sequences per step", Default: "4"),
        new("seq", "tokens per sequence", Default: "512"),
        new("rank", "LoRA rank (alpha = 2·rank, all linear layers)", Default: "16"),
        new("warmup", "steps not timed, per measurement", Default: "1"),
        new("steps", "timed steps per measurement (median reported)", Default: "3"),
        new("rounds", "rounds of engine then reference per dtype (ratios: median over rounds)", Default: "2"),
        new("python", "the reference's interpreter, or none", Default: "/usr/bin/python3"),
        new("reference-script", "lora_step_reference.py", Default: "bench/train-reference/ above the current folder"),
        new("qlora", "also measure QLoRA's peak memory beside LoRA's (bfloat16)", IsFlag: true),
        new("objectives", "also measure preference steps (dpo, orpo, kto, simpo; comma-separated) beside the SFT step on the same tokens (in the first of --dtypes), rounds interleaved"),
        new("one", "internal: measure one configuration (DTYPE or DTYPE,qlora) in this process"),
        new("model", "internal: the model folder the measurements load"),
    ];

    public async Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation)
    {
        var config = EngineBenchmark.Qwen2_100M;
        var (batch, seq, rank) = (arguments.Int("batch") ?? 4, arguments.Int("seq") ?? 512, arguments.Int("rank") ?? 16);
        var (warmup, steps) = (arguments.Int("warmup") ?? 1, arguments.Int("steps") ?? 3);
        if (arguments.Text("one") is { } one)
        {
            var parts = one.Split(',');
            var objective = parts.Skip(1).Where(p => p != "qlora").Select(ParseObjective).FirstOrDefault();
            var measured = TrainingStepBenchmark.Measure(arguments.RequiredText("model", "the benchmark model folder"), ComputeOptions.ParseDType(parts[0]),
                batch, seq, rank, warmup, steps, qlora: parts.Contains("qlora"), objective: objective);
            var runner = measured.Qlora ? "engine-qlora" : objective == PreferenceMethod.None ? "engine" : $"engine-{Pipeline.Model.SpecModel.EnumName(objective)}";
            var point = Point(measured.DType, runner, measured.StepSeconds, measured.TokensPerStep, measured.PeakRssBytes);
            point["load_peak_rss_bytes"] = measured.LoadPeakRssBytes;
            point["loaded_rss_bytes"] = measured.LoadedRssBytes;
            events.Write(new ResultEvent(Name, point));
            return 0;
        }

        var threads = get_num_threads();
        var load = LoadAverage();
        events.Log($"{config.Traits.HfName}, hidden {config.HiddenSize}, {config.NumHiddenLayers} layers, vocab {config.VocabSize}; batch {batch} × {seq}, LoRA r {rank} on all linear layers; {threads} threads; load {load}");

        var modelDirectory = Path.Combine(Path.GetTempPath(), $"tuneforge-bench-train-{Environment.ProcessId}");
        TrainingStepBenchmark.WriteModel(config, modelDirectory);
        try
        {
            return await Measure(arguments, events, config, modelDirectory, dtypes: (arguments.Text("dtypes") ?? "float32,bfloat16").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                batch, seq, rank, warmup, steps, threads, load, cancellation);
        }
        finally
        {
            Directory.Delete(modelDirectory, recursive: true);
        }
    }

    private async Task<int> Measure(ParsedArguments arguments, EventWriter events, Models.ModelConfig config, string modelDirectory, string[] dtypes,
        int batch, int seq, int rank, int warmup, int steps, int threads, string? load, CancellationToken cancellation)
    {
        var rounds = Math.Max(1, arguments.Int("rounds") ?? 2);
        var python = arguments.Text("python") ?? "/usr/bin/python3";
        var script = python == "none" ? null : arguments.Text("reference-script") ?? FindScript();
        var peaks = new List<(string DType, double Gflops)>();
        // Only the dtypes measured: an emulated bfloat16 peak alone takes longer than the whole float32 run.
        void MeasurePeaks()
        {
            foreach (var dtype in dtypes) peaks.Add((dtype, TrainingStepBenchmark.MatmulGflops(ComputeOptions.ParseDType(dtype))));
        }
        MeasurePeaks();
        var points = new List<JsonObject>();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var dtype in dtypes)
            {
                cancellation.ThrowIfCancellationRequested();
                var engine = await RunChild(["--one", dtype, "--model", modelDirectory], arguments, events, cancellation);
                engine["round"] = round;
                points.Add(engine);
                events.Log($"round {round} {dtype}: engine {engine["tokens_per_s"]} tokens/s, peak RSS {Mib(engine["peak_rss_bytes"])} MiB");
                if (script is null) continue;
                var reference = await RunReference(python, script, config, dtype, batch, seq, rank, warmup, steps, threads, cancellation);
                reference["round"] = round;
                points.Add(reference);
                events.Log($"round {round} {dtype}: reference {reference["tokens_per_s"]} tokens/s, peak RSS {Mib(reference["peak_rss_bytes"])} MiB");
            }
        }
        MeasurePeaks();
        if (arguments.Flag("qlora"))
        {
            foreach (var variant in new[] { "bfloat16", "bfloat16,qlora" })
            {
                var measured = await RunChild(["--one", variant, "--model", modelDirectory], arguments, events, cancellation);
                measured["round"] = 0;
                points.Add(measured);
                events.Log($"{variant}: peak RSS {Mib(measured["peak_rss_bytes"])} MiB, {measured["tokens_per_s"]} tokens/s");
            }
        }

        var objectives = (arguments.Text("objectives") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var objective in objectives) ParseObjective(objective);
        var preferencePoints = new List<JsonObject>();
        var objectiveDType = dtypes[0];   // the first of --dtypes: bfloat16 is emulated (slow) on CPUs without AVX-512 BF16
        for (var round = 1; round <= (objectives.Length > 0 ? rounds : 0); round++)
            foreach (var objective in new[] { "sft" }.Concat(objectives))
            {
                cancellation.ThrowIfCancellationRequested();
                var measured = await RunChild(["--one", objective == "sft" ? objectiveDType : $"{objectiveDType},{objective}", "--model", modelDirectory], arguments, events, cancellation);
                measured["objective"] = objective;
                measured["round"] = round;
                preferencePoints.Add(measured);
                events.Log($"round {round} {objective}: {measured["tokens_per_s"]} tokens/s, peak RSS {Mib(measured["peak_rss_bytes"])} MiB");
            }

        var bf16Peak = peaks.Where(p => p.DType == "bfloat16").Select(p => p.Gflops).DefaultIfEmpty(peaks.Max(p => p.Gflops)).Max();
        var stepFlops = TrainingStepBenchmark.LoraStepFlopsPerToken(config, rank, seq);
        var modelFlops = TrainingStepBenchmark.ModelFlopsPerToken(config, seq);
        var summary = Summarize(points, dtypes, stepFlops, modelFlops, bf16Peak);
        events.Write(new ResultEvent(Name, new JsonObject
        {
            ["model"] = config.ToJson(),
            ["batch"] = batch,
            ["seq"] = seq,
            ["rank"] = rank,
            ["threads"] = threads,
            ["load_average_before"] = load,
            ["load_average_after"] = LoadAverage(),
            ["matmul_gflops"] = new JsonArray(peaks.Select(p => (JsonNode)new JsonObject { ["dtype"] = p.DType, ["gflops"] = Math.Round(p.Gflops, 1) }).ToArray()),
            ["lora_step_flops_per_token"] = Math.Round(stepFlops),
            ["model_flops_per_token"] = Math.Round(modelFlops),
            ["points"] = new JsonArray(points.Select(p => (JsonNode)p).ToArray()),
            ["summary"] = summary.Json,
            ["preference_points"] = new JsonArray(preferencePoints.Select(p => (JsonNode)p).ToArray()),
            ["table"] = summary.Table + PreferenceTable(preferencePoints, objectiveDType),
        }));
        return 0;
    }

    private static (JsonArray Json, string Table) Summarize(List<JsonObject> points, string[] dtypes, double stepFlops, double modelFlops, double bf16Peak)
    {
        var json = new JsonArray();
        var table = new StringBuilder("| dtype | engine tok/s | reference tok/s | engine / reference (per round) | engine peak RSS | reference peak RSS | step FLOPs / bf16 peak | model FLOPs (6N) / bf16 peak |\n|---|---:|---:|---|---:|---:|---:|---:|\n");
        foreach (var dtype in dtypes)
        {
            var engine = points.Where(p => (string)p["dtype"]! == dtype && (string)p["runner"]! == "engine" && (int)p["round"]! > 0).ToList();
            var reference = points.Where(p => (string)p["dtype"]! == dtype && (string)p["runner"]! == "reference").ToList();
            var ratios = engine.Zip(reference).Select(p => (double)p.First["tokens_per_s"]! / (double)p.Second["tokens_per_s"]!).ToList();
            var engineRate = Statistics.Median(engine.Select(p => (double)p["tokens_per_s"]!));
            double? referenceRate = reference.Count > 0 ? Statistics.Median(reference.Select(p => (double)p["tokens_per_s"]!)) : null;
            var hardware = engineRate * stepFlops / 1e9 / bf16Peak;
            var model = engineRate * modelFlops / 1e9 / bf16Peak;
            json.Add(new JsonObject
            {
                ["dtype"] = dtype,
                ["engine_tokens_per_s"] = Math.Round(engineRate, 1),
                ["reference_tokens_per_s"] = referenceRate is { } r ? Math.Round(r, 1) : null,
                ["ratio_median"] = ratios.Count > 0 ? Math.Round(Statistics.Median(ratios), 3) : null,
                ["ratios"] = new JsonArray(ratios.Select(x => (JsonNode)Math.Round(x, 3)).ToArray()),
                ["step_flops_utilization"] = Math.Round(hardware, 3),
                ["model_flops_utilization"] = Math.Round(model, 3),
            });
            table.Append(CultureInfo.InvariantCulture,
                $"| {dtype} | {engineRate:F0} | {(referenceRate is { } rr ? rr.ToString("F0", CultureInfo.InvariantCulture) : "–")} | {string.Join(", ", ratios.Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))} | " +
                $"{Mib(engine.Max(p => (long?)p["peak_rss_bytes"]))} MiB | {(reference.Count > 0 ? Mib(reference.Max(p => (long?)p["peak_rss_bytes"])) + " MiB" : "–")} | {hardware:P0} | {model:P0} |\n");
        }
        var qlora = points.Where(p => (int)p["round"]! == 0).ToList();
        if (qlora.Count == 2)
            table.Append(
                $"\n| bfloat16 | resident after loading | peak while loading | peak while training | tokens/s |\n|---|---:|---:|---:|---:|\n" +
                string.Concat(qlora.Select(p => $"| {((string)p["runner"]! == "engine" ? "LoRA" : "QLoRA (NF4 base)")} | {Mib(p["loaded_rss_bytes"])} MiB | {Mib(p["load_peak_rss_bytes"])} MiB | {Mib(p["peak_rss_bytes"])} MiB | {p["tokens_per_s"]} |\n")));
        return (json, table.ToString());
    }

    // Each objective's median tokens/s and largest peak over the rounds, and its rate beside the SFT step's.
    private static string PreferenceTable(List<JsonObject> points, string dtype)
    {
        if (points.Count == 0) return "";
        var table = new StringBuilder($"\n| {dtype}, same tokens | tokens/s (median) | / SFT | peak RSS while training |\n|---|---:|---:|---:|\n");
        var sft = Statistics.Median(points.Where(p => (string)p["objective"]! == "sft").Select(p => (double)p["tokens_per_s"]!));
        foreach (var group in points.GroupBy(p => (string)p["objective"]!))
        {
            var rate = Statistics.Median(group.Select(p => (double)p["tokens_per_s"]!));
            table.Append(CultureInfo.InvariantCulture, $"| {group.Key} | {rate:F0} | {rate / sft:F2} | {Mib(group.Max(p => (long?)p["peak_rss_bytes"]))} MiB |\n");
        }
        return table.ToString();
    }

    private static PreferenceMethod ParseObjective(string name) => name switch
    {
        "dpo" => PreferenceMethod.Dpo,
        "orpo" => PreferenceMethod.Orpo,
        "kto" => PreferenceMethod.Kto,
        "simpo" => PreferenceMethod.Simpo,
        _ => throw new UsageException($"bench-train: '{name}' is not a preference objective", "Pass --objectives with any of dpo, orpo, kto, simpo."),
    };

    private static JsonObject Point(string dtype, string runner, IReadOnlyList<double> seconds, int tokensPerStep, long? peakRss)
    {
        var median = seconds.Order().ElementAt(seconds.Count / 2);
        return new JsonObject
        {
            ["runner"] = runner,
            ["dtype"] = dtype,
            ["tokens_per_s"] = Math.Round(tokensPerStep / median, 1),
            ["step_seconds"] = new JsonArray(seconds.Select(s => (JsonNode)Math.Round(s, 3)).ToArray()),
            ["peak_rss_bytes"] = peakRss,
        };
    }

    private static async Task<JsonObject> RunChild(string[] extra, ParsedArguments arguments, EventWriter events, CancellationToken cancellation)
    {
        var (file, prefix) = SelfCommand.Current();
        var passed = new[] { "batch", "seq", "rank", "warmup", "steps", "threads" }
            .Where(arguments.Has).SelectMany(o => new[] { $"--{o}", arguments.Text(o)! });
        var threads = arguments.Has("threads") ? [] : new[] { "--threads", get_num_threads().ToString(CultureInfo.InvariantCulture) };
        var (code, output, errors) = await Run(file, [.. prefix, "bench-train", .. extra, .. passed, .. threads], cancellation);
        var result = output.Split('\n').Select(EventSerializer.TryParse).OfType<ResultEvent>().LastOrDefault();
        if (code != 0 || result is null) throw new EngineException($"bench-train {string.Join(' ', extra)} failed (exit {code}): {Tail(output + errors)}");
        return result.Data;
    }

    private static async Task<JsonObject> RunReference(string python, string script, Models.ModelConfig c, string dtype, int batch, int seq, int rank,
        int warmup, int steps, int threads, CancellationToken cancellation)
    {
        var settings = new JsonObject
        {
            ["hidden"] = c.HiddenSize, ["layers"] = c.NumHiddenLayers, ["heads"] = c.NumAttentionHeads, ["kv_heads"] = c.NumKeyValueHeads,
            ["head_dim"] = c.HeadDim, ["ffn"] = c.IntermediateSize, ["vocab"] = c.VocabSize, ["rank"] = rank,
            ["batch"] = batch, ["seq"] = seq + 1, ["warmup"] = warmup, ["steps"] = steps, ["dtype"] = dtype, ["threads"] = threads,
        };
        var (code, output, errors) = await Run(python, [script, settings.ToJsonString()], cancellation);
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (code != 0 || line is null)
            throw new EngineException($"the PyTorch reference failed (exit {code}): {Tail(errors)}", "Install Debian's python3-torch and libopenblas0-pthread, or pass --python none.");
        var data = JsonNode.Parse(line)!.AsObject();
        var seconds = data["step_seconds"]!.AsArray().Select(n => (double)n!).ToList();
        var point = Point(dtype, "reference", seconds, (int)data["tokens_per_step"]!, (long?)data["peak_rss_bytes"]);
        point["torch"] = (string?)data["torch"];
        return point;
    }

    private static async Task<(int Code, string Output, string Errors)> Run(string file, string[] arguments, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new EngineException($"cannot start {file}");
        var output = process.StandardOutput.ReadToEndAsync(cancellation);
        var errors = process.StandardError.ReadToEndAsync(cancellation);
        await process.WaitForExitAsync(cancellation);
        return (process.ExitCode, await output, await errors);
    }

    private static string FindScript()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, "bench", "train-reference", "lora_step_reference.py");
                if (File.Exists(candidate)) return candidate;
            }
        throw new UsageException("bench-train: bench/train-reference/lora_step_reference.py was not found above the current folder", "Pass --reference-script PATH, or --python none.");
    }

    private static string Mib(JsonNode? bytes) => bytes is null ? "–" : ((long)bytes / 1048576.0).ToString("F0", CultureInfo.InvariantCulture);
    private static string Mib(long? bytes) => bytes is null ? "–" : (bytes.Value / 1048576.0).ToString("F0", CultureInfo.InvariantCulture);
    private static string Tail(string text) => text.Length <= 800 ? text : text[^800..];
    private static string? LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : null;
}
