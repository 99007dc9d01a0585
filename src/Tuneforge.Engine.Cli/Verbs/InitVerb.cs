using System.Text.Json.Nodes;
using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Presets;
using Tuneforge.Engine.Protocol;
using Tuneforge.Engine.Runtime;
using Tuneforge.Text;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary><c>init --preset tiny-r1 --seed 0 --out DIR</c>: writes a preset model as a complete Hugging Face folder.</summary>
public sealed class InitVerb : IVerb
{
    public string Name => "init";
    public string Summary => "write a preset model (random weights from a seed, or its shipped weights) as a Hugging Face folder";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("preset", $"preset name ({string.Join(", ", ModelPresets.All.Select(p => p.Name))})", Default: "tiny-r1"),
        new("seed", "seed of the random weights", Default: "0"),
        new("tokenizer", "folder with tokenizer.json to ship with the model (default: the preset's shipped tokenizer)"),
        new("dtype", "dtype the weights are stored in: float32, bfloat16 or float16", Default: "bfloat16"),
    ];

    public Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation)
    {
        var name = arguments.Text("preset") ?? "tiny-r1";
        if (name.StartsWith("preset:", StringComparison.Ordinal)) name = name["preset:".Length..];
        var preset = ModelPresets.Get(name);
        var seed = arguments.Long("seed") ?? 0;
        var output = arguments.RequiredText("out", "the folder to write the model into");
        ScalarType dtype;
        try
        {
            dtype = ComputeOptions.ParseDType(arguments.Text("dtype") ?? "bfloat16");
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        var tokenizerDirectory = arguments.Text("tokenizer") ?? TokenizerLocator.Find(preset.TokenizerName);
        var tokenizer = HfTokenizer.Load(tokenizerDirectory);
        if (tokenizer.VocabSize > preset.Config.VocabSize)
            throw new EngineException($"{tokenizerDirectory}: the tokenizer has {tokenizer.VocabSize} ids but preset {preset.Name} has {preset.Config.VocabSize} embedding rows",
                "Use the preset's own tokenizer.");

        events.Log(preset.Weights is null ? $"writing preset {preset.Name} (seed {seed}, {ComputeOptions.HfName(dtype)}): {preset.Description}"
            : $"copying preset {preset.Name} (its shipped weights as stored; --seed and --dtype do not apply): {preset.Description}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var files = PresetWriter.Write(preset, seed, output, tokenizerDirectory, dtype);
        var seconds = Math.Round(clock.Elapsed.TotalSeconds, 2);
        var folder = Path.GetFullPath(output);
        foreach (var file in files)
        {
            var path = Path.Combine(folder, file);
            events.Write(new ArtifactEvent(path, file.EndsWith(".safetensors", StringComparison.Ordinal) ? "weights" : "model-file", new FileInfo(path).Length));
        }
        using var model = new CausalLM(preset.Config, META, dtype);
        var parameters = model.ParameterCount();
        var embeddings = (long)preset.Config.VocabSize * preset.Config.HiddenSize;
        events.Write(new ResultEvent(Name, new JsonObject
        {
            ["preset"] = preset.Name,
            ["seed"] = seed,
            ["out"] = folder,
            ["dtype"] = ComputeOptions.HfName(dtype),
            ["parameters"] = parameters,
            ["parameters_besides_embeddings"] = parameters - embeddings,
            ["files"] = new JsonArray(files.Select(f => (JsonNode)f).ToArray()),
            ["seconds"] = seconds,
            ["peak_rss_bytes"] = Training.ProcessMemory.PeakRssBytes(),
        }));
        return Task.FromResult(0);
    }
}
