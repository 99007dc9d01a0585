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

    /// <summary>
    /// Quantizes the float weights of <paramref name="source"/> and writes config.json (with quantization_config) and the
    /// quantized checkpoint, one tensor at a time: the peak is the largest tensor a few times over, never the model.
    /// </summary>
    public static IReadOnlyList<string> Write(IWeightSource source, WeightQuantization scheme, string directory, long maxShardBytes = CheckpointWriter.DefaultMaxShardBytes)
    {
        WeightQuantizer.CheckShapes(source.Config, scheme);
        Directory.CreateDirectory(directory);
        // What stays unquantized (embeddings, norms, biases) is stored in 16 bits, as AWQ and GPTQ checkpoints store it.
        var stored = source.Tensors.Select(t => t.DType).FirstOrDefault(SafeTensorsDType.IsFloatingPoint, ScalarType.Float32);
        var rest = stored == ScalarType.Float32 ? ScalarType.BFloat16 : stored;
        var layout = source.Tensors.SelectMany(t => StoredLayout(t, scheme, rest)).ToList();
        var files = CheckpointWriter.SaveStreamed(directory, layout, write =>
        {
            using var _ = no_grad();
            foreach (var tensor in source.Tensors)
            {
                using var scope = NewDisposeScope();
                var weight = source.Read(tensor.Name);
                if (!WeightQuantizer.IsQuantized(tensor.Name))
                {
                    write(tensor.Name, weight.is_floating_point() ? weight.to_type(rest) : weight);
                    continue;
                }
                using var layer = WeightQuantizer.QuantizedLayer(weight, null, scheme);
                var prefix = tensor.Name[..^".weight".Length];
                foreach (var (name, parameter) in layer.named_parameters()) write($"{prefix}.{name}", parameter);
            }
        }, maxShardBytes).ToList();
        var config = (source.Config with { TorchDtype = ComputeOptions.HfName(rest) }).ToJson();
        config["quantization_config"] = scheme.ToJson();
        var configPath = Path.Combine(directory, PretrainedModel.ConfigFileName);
        File.WriteAllText(configPath, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        files.Add(configPath);
        return files;
    }

    // A quantized layer's stored tensors (int8 and a float32 scale per row; packed nibbles and float16 scale and minimum per group).
    private static IEnumerable<TensorLayout> StoredLayout(TensorLayout tensor, WeightQuantization scheme, ScalarType rest)
    {
        if (!WeightQuantizer.IsQuantized(tensor.Name))
        {
            yield return SafeTensorsDType.IsFloatingPoint(tensor.DType) ? tensor with { DType = rest } : tensor;
            yield break;
        }
        var prefix = tensor.Name[..^".weight".Length];
        var (outFeatures, inFeatures) = (tensor.Shape[0], tensor.Shape[1]);
        if (scheme.Bits == 8)
        {
            yield return new TensorLayout($"{prefix}.weight", ScalarType.Int8, [outFeatures, inFeatures]);
            yield return new TensorLayout($"{prefix}.weight_scale", ScalarType.Float32, [outFeatures]);
            yield break;
        }
        yield return new TensorLayout($"{prefix}.weight_packed", ScalarType.Byte, [outFeatures, inFeatures / 2]);
        yield return new TensorLayout($"{prefix}.weight_scale", ScalarType.Float16, [outFeatures, inFeatures / scheme.GroupSize]);
        yield return new TensorLayout($"{prefix}.weight_min", ScalarType.Float16, [outFeatures, inFeatures / scheme.GroupSize]);
    }

    /// <summary>Loads a quantized folder for inference: the quantized layers stay quantized, the rest is in the compute dtype.</summary>
    public static CausalLM Load(string directory, ComputeOptions compute)
    {
        var configPath = Path.Combine(directory, PretrainedModel.ConfigFileName);
        var config = ModelConfig.Load(configPath);
        var scheme = WeightQuantization.FromJson(JsonNode.Parse(File.ReadAllText(configPath))?["quantization_config"], configPath);
        var checkpoint = CheckpointFolder.Open(directory);
        var model = new CausalLM(config, compute.Device, compute.DType, compute.Activations);
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
