using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Runtime;
using Tuneforge.Files;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Presets;

/// <summary>
/// Writes a preset as a complete Hugging Face folder: config.json, generation_config.json, model.safetensors or shards
/// (seeded random weights, or the preset's shipped ones) and the tokenizer files. Random weights are drawn and written
/// one tensor at a time, so a 7B shape needs the memory of its largest tensor, not of the model. Built in a temporary
/// folder beside the target and renamed, so no half folder is left.
/// </summary>
public static class PresetWriter
{
    public static readonly IReadOnlyList<string> TokenizerFiles = ["tokenizer.json", "tokenizer_config.json"];

    /// <summary>What a preset with shipped weights ships; they are copied as they are (no seed, their own dtype).</summary>
    public static readonly IReadOnlyList<string> ShippedFiles = [PretrainedModel.ConfigFileName, "generation_config.json", Hub.Presets.ShippedPresetWeights.WeightsFile];

    /// <summary>Returns the files written, relative to <paramref name="outputDirectory"/>.</summary>
    public static IReadOnlyList<string> Write(ModelPreset preset, long seed, string outputDirectory, string tokenizerDirectory, ScalarType storedType)
    {
        foreach (var file in TokenizerFiles)
        {
            if (!File.Exists(Path.Combine(tokenizerDirectory, file)))
                throw new EngineException($"{Path.Combine(tokenizerDirectory, file)}: tokenizer file not found",
                    "Pass --tokenizer DIR with tokenizer.json and tokenizer_config.json (the repo ships data/tokenizers/deepseek-r1).");
        }
        var target = Path.GetFullPath(outputDirectory);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new EngineException($"{target}: the folder exists and is not empty", "Choose a new --out folder or remove this one.");

        AtomicDirectory.Write(target, staging =>
        {
            if (preset.Weights is { } weights)
            {
                var shipped = Loading.ShippedWeightsLocator.Find(weights);
                foreach (var file in ShippedFiles) File.Copy(Path.Combine(shipped, file), Path.Combine(staging, file));
            }
            else
            {
                WriteRandomWeights(preset.Config, seed, staging, storedType, preset.MaxShardBytes);
                PretrainedModel.WriteConfig(preset.Config, staging, storedType);
                WriteGenerationConfig(preset, Path.Combine(staging, "generation_config.json"));
            }
            foreach (var file in Directory.EnumerateFiles(tokenizerDirectory))
                File.Copy(file, Path.Combine(staging, Path.GetFileName(file)));
        });
        return Directory.EnumerateFiles(target).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()!;
    }

    /// <summary>The weights <see cref="ParameterInitializer.Initialize"/> gives a model of <paramref name="config"/> with
    /// <paramref name="seed"/>, stored in <paramref name="storedType"/>, without ever building the model.</summary>
    public static IReadOnlyList<string> WriteRandomWeights(ModelConfig config, long seed, string directory, ScalarType storedType,
        long maxShardBytes = Checkpoints.CheckpointWriter.DefaultMaxShardBytes)
    {
        var layout = Layout(config, storedType);
        return Checkpoints.CheckpointWriter.SaveStreamed(directory, layout, write =>
        {
            using var generator = new TorchSharp.torch.Generator((ulong)seed);
            foreach (var tensor in layout)   // parameter order: the generator's draws are those of Initialize
            {
                using var scope = NewDisposeScope();
                write(tensor.Name, ParameterInitializer.InitialValues(tensor.Name, tensor.Shape, config.InitializerRange, generator).to_type(storedType));
            }
        }, maxShardBytes);
    }

    /// <summary>The names and shapes of a model of <paramref name="config"/> in parameter order, from the meta device (nothing allocated).</summary>
    public static IReadOnlyList<Checkpoints.TensorLayout> Layout(ModelConfig config, ScalarType storedType)
    {
        using var model = new CausalLM(config, META, storedType);
        return model.named_parameters().Select(p => new Checkpoints.TensorLayout(p.name, storedType, p.parameter.shape)).ToList();
    }

    /// <summary>generation_config.json with the preset's token ids and sampling defaults.</summary>
    public static void WriteGenerationConfig(ModelPreset preset, string path)
    {
        var config = preset.Config;
        var json = new JsonObject
        {
            ["bos_token_id"] = config.BosTokenId,
            ["eos_token_id"] = config.EosTokenIds.Count == 1 ? config.EosTokenIds[0] : new JsonArray(config.EosTokenIds.Select(i => (JsonNode)i).ToArray()),
            ["do_sample"] = preset.Generation.DoSample,
            ["temperature"] = preset.Generation.Temperature,
            ["top_p"] = preset.Generation.TopP,
        };
        File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
