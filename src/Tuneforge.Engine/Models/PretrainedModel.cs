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
        var model = new CausalLM(config, compute.Device, compute.DType, compute.Activations);
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

    /// <summary>Writes config.json and the weights (in <paramref name="dtype"/>, default the model's) into <paramref name="directory"/>,
    /// one tensor converted at a time (never a second copy of the model).</summary>
    public static IReadOnlyList<string> Save(CausalLM model, string directory, ScalarType? dtype = null, long maxShardBytes = CheckpointWriter.DefaultMaxShardBytes)
    {
        var storedType = dtype ?? model.DType;
        var parameters = model.named_parameters().ToList();
        var layout = parameters.Select(p => new TensorLayout(p.name, storedType, p.parameter.shape)).ToList();
        var files = CheckpointWriter.SaveStreamed(directory, layout, write =>
        {
            foreach (var (name, parameter) in parameters)
            {
                using var scope = NewDisposeScope();
                write(name, parameter.detach().to_type(storedType));
            }
        }, maxShardBytes).ToList();
        files.Add(WriteConfig(model.Config, directory, storedType));
        return files;
    }

    /// <summary>Writes config.json for weights stored in <paramref name="storedType"/>; returns its path.</summary>
    public static string WriteConfig(ModelConfig config, string directory, ScalarType storedType)
    {
        var configPath = Path.Combine(directory, ConfigFileName);
        var json = (config with { TorchDtype = ComputeOptions.HfName(storedType) }).ToJson();
        File.WriteAllText(configPath, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return configPath;
    }

    // Older checkpoints store RoPE's inverse frequencies; tied ones sometimes a copy of the embedding as lm_head.
    internal static bool IsRedundant(string name, ModelConfig config) =>
        name.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal)
        || (config.TieWordEmbeddings && name == "lm_head.weight");
}
