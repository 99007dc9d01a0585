using System.Text.Json.Nodes;
using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Merging;
using Tuneforge.Engine.Protocol;
using Tuneforge.Engine.Runtime;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary><c>merge --model SRC --adapter DIR --out DIR</c>: the adapter folded into the base, as a Hugging Face folder.</summary>
public sealed class MergeVerb : IVerb
{
    public string Name => "merge";
    public string Summary => "fold a PEFT LoRA adapter into its base model and write a Hugging Face folder (transformers, vLLM)";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("model", "the base model: a folder, hf://org/name[@revision] or preset:NAME"),
        new("adapter", "the PEFT adapter folder (adapter_config.json, adapter_model.safetensors)"),
        new("dtype", "dtype of the written weights: float32, bfloat16 or float16", Default: "the base's"),
        new("max-shard-size", "largest safetensors file in bytes before sharding", Default: "5368709120"),
        new("preset-seed", "seed of a preset model's weights", Default: "0"),
    ];

    public async Task<int> RunAsync(ParsedArguments arguments, EventWriter events, CancellationToken cancellation)
    {
        var source = arguments.RequiredText("model", "the base model the adapter was trained on");
        var adapterDirectory = arguments.RequiredText("adapter", "the adapter to merge");
        var output = arguments.RequiredText("out", "the folder to write the merged model into");
        var location = await ModelLocation.ResolveAsync(source, m => events.Log(m), cancellation);
        var stored = arguments.Text("dtype") is { } dtype ? ParseDType(dtype) : BaseDType(location);

        using var adapter = LoraAdapterFiles.Read(adapterDirectory);
        using var model = ModelLoader.Load(location, ComputeOptions.Cpu(), arguments.Long("preset-seed") ?? 0);
        var merged = AdapterMerger.Merge(model, adapter);
        var files = MergedModelWriter.Write(model, output, location.TokenizerDirectory, location.Directory, location.Preset, stored,
            arguments.Long("max-shard-size") ?? Checkpoints.CheckpointWriter.DefaultMaxShardBytes);
        var folder = Path.GetFullPath(output);
        foreach (var file in files) events.Write(new ArtifactEvent(Path.Combine(folder, file), "model-file", new FileInfo(Path.Combine(folder, file)).Length));
        events.Write(new ResultEvent(Name, new JsonObject
        {
            ["out"] = folder,
            ["merged_weights"] = merged,
            ["scaling"] = adapter.Scaling,
            ["dtype"] = ComputeOptions.HfName(stored),
            ["files"] = new JsonArray(files.Select(f => (JsonNode)f).ToArray()),
        }));
        return 0;
    }

    // As stored in the base's config.json (bfloat16 for the real R1 distills); presets are float32.
    private static TorchSharp.torch.ScalarType BaseDType(ModelLocation location)
    {
        if (location.Directory is null) return TorchSharp.torch.ScalarType.Float32;
        var stored = Models.ModelConfig.Load(Path.Combine(location.Directory, Models.PretrainedModel.ConfigFileName)).TorchDtype;
        return stored is "bfloat16" or "float16" ? ComputeOptions.ParseDType(stored) : TorchSharp.torch.ScalarType.Float32;
    }

    private static TorchSharp.torch.ScalarType ParseDType(string text)
    {
        try
        {
            return ComputeOptions.ParseDType(text);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"merge: {e.Message}");
        }
    }
}
