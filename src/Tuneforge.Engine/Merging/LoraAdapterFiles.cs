using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Engine.Checkpoints;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Merging;

/// <summary>One adapted linear layer: W' = W + Scaling · B·A.</summary>
/// <param name="WeightName">The base weight it changes, e.g. <c>model.layers.3.self_attn.q_proj.weight</c>.</param>
/// <param name="A">lora_A [r, in].</param>
/// <param name="B">lora_B [out, r].</param>
public sealed record LoraPair(string WeightName, Tensor A, Tensor B);

/// <summary>
/// A PEFT LoRA adapter folder read for merging: <c>adapter_config.json</c> (r, lora_alpha, use_rslora, base model)
/// and <c>adapter_model.safetensors</c> with <c>base_model.model.{module}.lora_A.weight</c> [r, in] and
/// <c>.lora_B.weight</c> [out, r]. Options this merge would get wrong (DoRA, fan_in_fan_out, trained biases or
/// modules_to_save, per-layer ranks) are refused with the key that asks for them.
/// </summary>
public sealed class LoraAdapterFiles : IDisposable
{
    public const string ConfigFileName = "adapter_config.json";
    public const string WeightsFileName = "adapter_model.safetensors";
    private const string Prefix = "base_model.model.";

    private LoraAdapterFiles(string directory, int rank, double alpha, bool useRslora, string? baseModel, string? revision, IReadOnlyList<LoraPair> pairs)
    {
        Directory = directory;
        Rank = rank;
        Alpha = alpha;
        UseRslora = useRslora;
        BaseModel = baseModel;
        Revision = revision;
        Pairs = pairs;
    }

    public string Directory { get; }
    public int Rank { get; }
    public double Alpha { get; }
    public bool UseRslora { get; }
    public string? BaseModel { get; }
    public string? Revision { get; }
    public IReadOnlyList<LoraPair> Pairs { get; }

    /// <summary>lora_alpha / r, or lora_alpha / √r with rsLoRA.</summary>
    public double Scaling => UseRslora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;

    public static LoraAdapterFiles Read(string directory)
    {
        var configPath = Path.Combine(directory, ConfigFileName);
        var weightsPath = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(configPath) || !File.Exists(weightsPath))
            throw new CheckpointException($"{directory}: an adapter folder needs {ConfigFileName} and {WeightsFileName}", "Give the adapter/ folder that Train wrote (PEFT format).");
        JsonObject config;
        try
        {
            config = JsonNode.Parse(File.ReadAllText(configPath)) as JsonObject ?? throw Bad(configPath, "expected a JSON object");
        }
        catch (JsonException e)
        {
            throw Bad(configPath, $"invalid JSON at line {e.LineNumber + 1}: {e.Message}");
        }
        if (Text(config, "peft_type", configPath) is { } type && type != "LORA") throw Bad(configPath, $"peft_type is '{type}'; only LORA adapters merge");
        Refuse(config, "use_dora", configPath, n => n.GetValue<bool>(), "DoRA rescales the merged weight; merging it as LoRA would be wrong");
        Refuse(config, "fan_in_fan_out", configPath, n => n.GetValue<bool>(), "fan_in_fan_out (Conv1D layers) does not occur in these architectures");
        Refuse(config, "modules_to_save", configPath, n => n is JsonArray { Count: > 0 }, "modules_to_save replaces whole modules, which a LoRA merge does not carry");
        Refuse(config, "rank_pattern", configPath, n => n is JsonObject { Count: > 0 }, "per-layer ranks are not supported");
        Refuse(config, "alpha_pattern", configPath, n => n is JsonObject { Count: > 0 }, "per-layer alphas are not supported");
        if (Text(config, "bias", configPath) is { } bias && bias != "none") throw Bad(configPath, $"bias is '{bias}'; only bias: none is merged");

        var rank = config["r"]?.GetValue<int>() ?? throw Bad(configPath, "r is missing");
        var alpha = config["lora_alpha"]?.GetValue<double>() ?? throw Bad(configPath, "lora_alpha is missing");
        if (rank <= 0) throw Bad(configPath, $"r is {rank}; it must be positive");
        var useRslora = config["use_rslora"]?.GetValue<bool>() ?? false;
        var pairs = ReadPairs(weightsPath, rank);
        return new LoraAdapterFiles(directory, rank, alpha, useRslora, Text(config, "base_model_name_or_path", configPath), Text(config, "revision", configPath), pairs);
    }

    private static List<LoraPair> ReadPairs(string path, int rank)
    {
        using var reader = SafeTensorsReader.Open(path);
        var names = reader.Header.Entries.Keys.Order(StringComparer.Ordinal).ToList();
        var pairs = new List<LoraPair>();
        foreach (var name in names.Where(n => n.EndsWith(".lora_A.weight", StringComparison.Ordinal)))
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal)) throw Bad(path, $"tensor '{name}' does not start with '{Prefix}'");
            var module = name[Prefix.Length..^".lora_A.weight".Length];
            var bName = $"{Prefix}{module}.lora_B.weight";
            if (!reader.Header.Entries.ContainsKey(bName)) throw Bad(path, $"'{name}' has no matching '{bName}'");
            var a = reader.Read(name).to_type(ScalarType.Float32);
            var b = reader.Read(bName).to_type(ScalarType.Float32);
            if (a.dim() != 2 || b.dim() != 2 || a.shape[0] != rank || b.shape[1] != rank)
                throw Bad(path, $"'{module}': lora_A is [{string.Join(", ", a.shape)}] and lora_B [{string.Join(", ", b.shape)}]; expected [r={rank}, in] and [out, r={rank}]");
            pairs.Add(new LoraPair(module + ".weight", a, b));
        }
        var stray = names.FirstOrDefault(n => !n.EndsWith(".lora_A.weight", StringComparison.Ordinal) && !n.EndsWith(".lora_B.weight", StringComparison.Ordinal));
        if (stray is not null) throw Bad(path, $"tensor '{stray}' is not a LoRA A or B matrix; this merge would drop it");
        if (pairs.Count == 0) throw Bad(path, "holds no lora_A/lora_B tensors");
        return pairs;
    }

    private static string? Text(JsonObject json, string key, string path)
    {
        var node = json[key];
        if (node is null) return null;
        return node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : throw Bad(path, $"{key} must be a string");
    }

    private static void Refuse(JsonObject json, string key, string path, Func<JsonNode, bool> isSet, string why)
    {
        if (json[key] is { } node && isSet(node)) throw Bad(path, $"{key} is set: {why}");
    }

    private static CheckpointException Bad(string path, string problem) => new($"{path}: {problem}");

    public void Dispose()
    {
        foreach (var pair in Pairs)
        {
            pair.A.Dispose();
            pair.B.Dispose();
        }
    }
}
