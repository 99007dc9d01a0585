using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Models;
using Tuneforge.Files;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Lora;

/// <summary>
/// A PEFT adapter folder: adapter_config.json and adapter_model.safetensors with PEFT's key names
/// (<c>base_model.model.model.layers.3.self_attn.q_proj.lora_A.weight</c>, [r, in]; <c>lora_B.weight</c>, [out, r]),
/// float32, metadata <c>{"format":"pt"}</c>: what PEFT, vLLM and llama.cpp's converter read. Modules to save are
/// whole weights under their own name (<c>base_model.model.model.norm.weight</c>), as PEFT saves them.
/// </summary>
public static class PeftAdapter
{
    public const string WeightsFileName = TrainOutputs.AdapterWeightsFile;
    public const string KeyPrefix = "base_model.model.";

    /// <summary>The adapter tensors of a model under PEFT's saved names (the live weights themselves).</summary>
    public static IReadOnlyDictionary<string, Tensor> Tensors(CausalLM model, LoraSettings settings)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, layer) in LoraInjector.Find(model))
        {
            tensors[$"{KeyPrefix}{name}.lora_A.weight"] = layer.A;
            tensors[$"{KeyPrefix}{name}.lora_B.weight"] = layer.B;
        }
        foreach (var (weightName, weight) in SavedModules.Find(model, settings.ModulesToSave)) tensors[KeyPrefix + weightName] = weight;
        return tensors;
    }

    /// <summary>Writes the adapter folder: into a temporary folder beside it, then renamed, so it is whole or absent.</summary>
    public static void Save(CausalLM model, LoraSettings settings, AdapterOrigin origin, string directory)
    {
        AtomicDirectory.Write(directory, staging => WriteFiles(model, settings, origin, staging));
    }

    /// <summary>Writes adapter_model.safetensors and adapter_config.json into an existing folder.</summary>
    public static void WriteFiles(CausalLM model, LoraSettings settings, AdapterOrigin origin, string directory)
    {
        var tensors = Tensors(model, settings);
        if (tensors.Count == 0) throw new InvalidOperationException("the model has no LoRA layers to save");
        using (var scope = NewDisposeScope())
        {
            SafeTensorsWriter.Write(Path.Combine(directory, WeightsFileName),
                tensors.Select(t => KeyValuePair.Create(t.Key, t.Value.detach().to_type(ScalarType.Float32))));
        }
        File.WriteAllText(Path.Combine(directory, PeftAdapterConfig.FileName), PeftAdapterConfig.ToText(settings, origin));
    }

    /// <summary>Adds the adapter of <paramref name="directory"/> to a base model and loads its weights (dropout off).</summary>
    public static LoraSettings Apply(CausalLM model, string directory)
    {
        var (settings, _) = PeftAdapterConfig.Read(directory);
        LoraInjector.Apply(model, settings, dropout: null, seed: 0);
        LoadWeights(model, settings, directory);
        return settings;
    }

    /// <summary>Copies the adapter weights of <paramref name="directory"/> into the model's LoRA layers (and saved
    /// modules), checking names and shapes both ways first.</summary>
    public static void LoadWeights(CausalLM model, LoraSettings settings, string directory)
    {
        var path = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(path)) throw new CheckpointException($"{path}: not found; an adapter folder holds {PeftAdapterConfig.FileName} and {WeightsFileName}");
        var expected = Tensors(model, settings);
        var header = SafeTensorsHeader.Read(path);
        // Some writers keep PEFT's in-memory adapter name ("lora_A.default.weight"); the saved form has none.
        var found = header.Entries.Keys.ToDictionary(k => k.Replace(".default.weight", ".weight", StringComparison.Ordinal), k => k, StringComparer.Ordinal);
        var missing = expected.Keys.Where(k => !found.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var unexpected = found.Keys.Where(k => !expected.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var mismatched = expected.Where(e => found.ContainsKey(e.Key))
            .Select(e => (e.Key, Expected: e.Value.shape, Found: header.Entries[found[e.Key]].Shape))
            .Where(m => !m.Expected.SequenceEqual(m.Found))
            .Select(m => $"{m.Key}: expected [{string.Join(", ", m.Expected)}], found [{string.Join(", ", m.Found)}]")
            .ToList();
        if (missing.Count + unexpected.Count + mismatched.Count > 0)
        {
            var lines = new List<string> { $"{path}: the adapter does not fit the model" };
            if (missing.Count > 0) lines.Add($"missing ({missing.Count}): {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", ..." : "")}");
            if (unexpected.Count > 0) lines.Add($"unexpected ({unexpected.Count}): {string.Join(", ", unexpected.Take(5))}{(unexpected.Count > 5 ? ", ..." : "")}");
            if (mismatched.Count > 0) lines.Add($"shape mismatches ({mismatched.Count}): {string.Join("; ", mismatched.Take(5))}");
            throw new CheckpointException(string.Join(Environment.NewLine, lines),
                "The adapter was trained on another base model or with other target_modules/r; use the matching base model.");
        }
        using var reader = new SafeTensorsReader(header);
        using var _ = no_grad();
        foreach (var (key, tensor) in expected)
        {
            using var source = reader.Read(found[key]);
            tensor.copy_(source);
        }
    }
}
