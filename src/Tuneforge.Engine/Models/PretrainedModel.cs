using System.Text.Json;
using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Runtime;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Models;

/// <summary>Loads and saves a <see cref="CausalLM"/> as a Hugging Face folder (config.json + safetensors).</summary>
public static class PretrainedModel
{
    public const string ConfigFileName = TrainOutputs.ModelConfigFile;

    /// <summary>Builds the model from <c>config.json</c> and loads its weights, converted to <paramref name="compute"/>'s dtype.</summary>
    public static CausalLM Load(string directory, ComputeOptions compute)
    {
        if (!Directory.Exists(directory))
            throw new EngineException($"{directory}: model folder not found", "Give a folder with config.json and model.safetensors (e.g. from `tuneforge-engine init`).");
        var config = ModelConfig.Load(Path.Combine(directory, ConfigFileName));
        var checkpoint = CheckpointFolder.Open(directory);
        var model = new CausalLM(config, compute.Device, compute.DType);
        try
        {
            CheckpointLoader.Load(model, checkpoint, name => IsRedundant(name, config));
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Writes config.json and the weights (in <paramref name="dtype"/>, default the model's) into <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> Save(CausalLM model, string directory, ScalarType? dtype = null, long maxShardBytes = CheckpointWriter.DefaultMaxShardBytes)
    {
        Directory.CreateDirectory(directory);
        using var scope = NewDisposeScope();
        var storedType = dtype ?? model.DType;
        var tensors = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().to_type(storedType), StringComparer.Ordinal);
        var files = CheckpointWriter.Save(directory, tensors, maxShardBytes).ToList();
        var configPath = Path.Combine(directory, ConfigFileName);
        var config = model.Config with { TorchDtype = ComputeOptions.HfName(storedType) };
        File.WriteAllText(configPath, config.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        files.Add(configPath);
        return files;
    }

    // Older checkpoints store RoPE's inverse frequencies; tied ones sometimes a copy of the embedding as lm_head.
    internal static bool IsRedundant(string name, ModelConfig config) =>
        name.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal)
        || (config.TieWordEmbeddings && name == "lm_head.weight");
}
