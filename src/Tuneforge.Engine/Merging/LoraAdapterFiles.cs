using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Lora;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Merging;

/// <summary>One adapted linear layer: W' = W + Scaling · B·A.</summary>
/// <param name="WeightName">The base weight it changes, e.g. <c>model.layers.3.self_attn.q_proj.weight</c>.</param>
/// <param name="A">lora_A [r, in].</param>
/// <param name="B">lora_B [out, r].</param>
public sealed record LoraPair(string WeightName, Tensor A, Tensor B);

/// <summary>A weight the adapter replaces whole (a module to save): W' = Weight.</summary>
public sealed record SavedWeight(string WeightName, Tensor Weight);

/// <summary>
/// A PEFT LoRA adapter folder read for merging: <c>adapter_config.json</c> (r, lora_alpha, use_rslora, base model)
/// and <c>adapter_model.safetensors</c> with <c>base_model.model.{module}.lora_A.weight</c> [r, in] and
/// <c>.lora_B.weight</c> [out, r], plus <c>base_model.model.{module}.weight</c> of its modules_to_save. Options this
/// merge would get wrong (DoRA, fan_in_fan_out, trained biases, per-layer ranks) are refused with the key that asks for them.
/// </summary>
public sealed class LoraAdapterFiles : IDisposable
{
    private const string Prefix = "base_model.model.";

    private LoraAdapterFiles(string directory, LoraSettings settings, AdapterOrigin origin, IReadOnlyList<LoraPair> pairs, IReadOnlyList<SavedWeight> saved)
    {
        Directory = directory;
        Settings = settings;
        Origin = origin;
        Pairs = pairs;
        Saved = saved;
    }

    public string Directory { get; }
    public LoraSettings Settings { get; }
    public AdapterOrigin Origin { get; }
    public IReadOnlyList<LoraPair> Pairs { get; }
    public IReadOnlyList<SavedWeight> Saved { get; }
    public int Rank => Settings.Rank;

    /// <summary>lora_alpha / r, or lora_alpha / √r with rsLoRA.</summary>
    public double Scaling => Settings.Scaling;

    public static LoraAdapterFiles Read(string directory)
    {
        var weightsPath = Path.Combine(directory, PeftAdapter.WeightsFileName);
        if (!File.Exists(Path.Combine(directory, PeftAdapterConfig.FileName)) || !File.Exists(weightsPath))
            throw new CheckpointException($"{directory}: an adapter folder needs {PeftAdapterConfig.FileName} and {PeftAdapter.WeightsFileName}", "Give the adapter/ folder that Train wrote (PEFT format).");
        // The same reader that loads adapters for training and serving refuses what a merge would get wrong too.
        var (settings, origin) = PeftAdapterConfig.Read(directory);
        var (pairs, saved) = ReadTensors(weightsPath, settings);
        return new LoraAdapterFiles(directory, settings, origin, pairs, saved);
    }

    private static (List<LoraPair>, List<SavedWeight>) ReadTensors(string path, LoraSettings settings)
    {
        var rank = settings.Rank;
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
        var saved = new List<SavedWeight>();
        foreach (var name in names.Where(n => !n.EndsWith(".lora_A.weight", StringComparison.Ordinal) && !n.EndsWith(".lora_B.weight", StringComparison.Ordinal)))
        {
            var weightName = name.StartsWith(Prefix, StringComparison.Ordinal) ? name[Prefix.Length..] : name;
            if (!weightName.EndsWith(".weight", StringComparison.Ordinal) || !SavedModules.Matches(weightName[..^".weight".Length], settings.ModulesToSave))
                throw Bad(path, $"tensor '{name}' is not a LoRA A or B matrix nor a weight of modules_to_save; this merge would drop it");
            saved.Add(new SavedWeight(weightName, reader.Read(name).to_type(ScalarType.Float32)));
        }
        if (pairs.Count == 0) throw Bad(path, "holds no lora_A/lora_B tensors");
        return (pairs, saved);
    }

    private static CheckpointException Bad(string path, string problem) => new($"{path}: {problem}");

    public void Dispose()
    {
        foreach (var pair in Pairs)
        {
            pair.A.Dispose();
            pair.B.Dispose();
        }
        foreach (var saved in Saved) saved.Weight.Dispose();
    }
}
