using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Runtime;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Quantization;

/// <summary>
/// A folder of this engine's quantized weights: config.json with <c>quantization_config</c>
/// (<c>quant_method: "tuneforge"</c>), safetensors with the quantized layers' tensors, and the model's other files.
/// </summary>
public static class QuantizedModel
{
    /// <summary>Whether <paramref name="directory"/>'s config.json says its weights are quantized by this engine.</summary>
    public static bool IsQuantized(string directory)
    {
        var path = Path.Combine(directory, PretrainedModel.ConfigFileName);
        return File.Exists(path) && JsonNode.Parse(File.ReadAllText(path))?["quantization_config"] is not null;
    }

    /// <summary>Writes config.json (with quantization_config) and the weights of a quantized model.</summary>
    public static IReadOnlyList<string> Save(CausalLM model, WeightQuantization scheme, string directory, long maxShardBytes = CheckpointWriter.DefaultMaxShardBytes)
    {
        Directory.CreateDirectory(directory);
        using var scope = NewDisposeScope();
        // What stays unquantized (embeddings, norms, biases) is stored in 16 bits, as AWQ and GPTQ checkpoints store it.
        var rest = model.DType == ScalarType.Float32 ? ScalarType.BFloat16 : model.DType;
        var tensors = model.named_parameters().ToDictionary(p => p.name, p => Stored(p.name, p.parameter, rest), StringComparer.Ordinal);
        var files = CheckpointWriter.Save(directory, tensors, maxShardBytes).ToList();
        var config = (model.Config with { TorchDtype = ComputeOptions.HfName(rest) }).ToJson();
        config["quantization_config"] = scheme.ToJson();
        var configPath = Path.Combine(directory, PretrainedModel.ConfigFileName);
        File.WriteAllText(configPath, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        files.Add(configPath);
        return files;
    }

    // Quantized layers keep their stored types (int8, packed uint8, float16 and float32 scales).
    private static Tensor Stored(string name, Tensor parameter, ScalarType rest) =>
        IsQuantizedTensor(name) || !parameter.is_floating_point() ? parameter.detach() : parameter.detach().to_type(rest);

    private static bool IsQuantizedTensor(string name) =>
        name.EndsWith(".weight_scale", StringComparison.Ordinal) || name.EndsWith(".weight_min", StringComparison.Ordinal)
        || name.EndsWith(".weight_packed", StringComparison.Ordinal);

    /// <summary>Loads a quantized folder for inference: the quantized layers stay quantized, the rest is in the compute dtype.</summary>
    public static CausalLM Load(string directory, ComputeOptions compute)
    {
        var configPath = Path.Combine(directory, PretrainedModel.ConfigFileName);
        var config = ModelConfig.Load(configPath);
        var scheme = WeightQuantization.FromJson(JsonNode.Parse(File.ReadAllText(configPath))?["quantization_config"], configPath);
        var checkpoint = CheckpointFolder.Open(directory);
        var model = new CausalLM(config, compute.Device, compute.DType);
        try
        {
            WeightQuantizer.PrepareEmpty(model, scheme);
            CheckpointLoader.Load(model, checkpoint, name => config.TieWordEmbeddings && name == "lm_head.weight");
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
