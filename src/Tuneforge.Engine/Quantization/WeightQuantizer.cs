using TorchSharp;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Models.Layers;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Quantization;

/// <summary>Swaps every linear layer of the decoder for its quantized form, in place.</summary>
public static class WeightQuantizer
{
    /// <summary>Quantizes the float weights of <paramref name="model"/>'s q/k/v/o and gate/up/down projections.</summary>
    public static void Quantize(CausalLM model, WeightQuantization scheme)
    {
        CheckShapes(model.Config, scheme);
        Replace(model, projection => Quantized(projection, scheme, model.Device));
    }

    /// <summary>Gives <paramref name="model"/> empty quantized layers of the right shapes, for loading a quantized folder.</summary>
    public static void PrepareEmpty(CausalLM model, WeightQuantization scheme)
    {
        CheckShapes(model.Config, scheme);
        Replace(model, projection => scheme.Bits == 8
            ? Int8Linear.Empty(projection.InFeatures, projection.OutFeatures, projection.Bias is not null, model.Device, model.DType)
            : Int4Linear.Empty(projection.InFeatures, projection.OutFeatures, projection.Bias is not null, scheme.GroupSize, model.Device, model.DType));
    }

    /// <summary>Checks that every projection's input size is a whole number of int4 groups.</summary>
    public static void CheckShapes(ModelConfig config, WeightQuantization scheme)
    {
        if (scheme.Bits != 4) return;
        var inputs = new[] { (long)config.HiddenSize, (long)config.NumAttentionHeads * config.HeadDim, config.IntermediateSize };
        var bad = inputs.FirstOrDefault(n => n % scheme.GroupSize != 0);
        if (bad != 0)
            throw new ArgumentException($"int4 with group size {scheme.GroupSize}: a layer has {bad} input features, not a multiple of it; choose quantize.group_size 32");
    }

    /// <summary>Whether the checkpoint tensor <paramref name="name"/> is a weight this quantization replaces (a decoder projection's).</summary>
    public static bool IsQuantized(string name)
    {
        var parts = name.Split('.');
        return parts is ["model", "layers", _, var block, var projection, "weight"]
            && (block == "self_attn" && Attention.ProjectionNames.Contains(projection) || block == "mlp" && Mlp.ProjectionNames.Contains(projection));
    }

    /// <summary>The quantized layer of a float weight [out, in] (on the CPU; its tensors belong to the layer).</summary>
    public static nn.Module<Tensor, Tensor> QuantizedLayer(Tensor weight, Tensor? bias, WeightQuantization scheme) => scheme.Bits == 8
        ? Int8Linear.FromWeight(weight, bias)
        : Int4Linear.FromWeight(weight, bias, scheme.GroupSize);

    private static nn.Module<Tensor, Tensor> Quantized(Projection projection, WeightQuantization scheme, Device device)
    {
        // Quantized on the CPU in float32; the module's tensors outlive every dispose scope (the module owns them).
        using var weight = projection.Weight.detach().to(CPU);
        using var bias = projection.Bias?.detach().to(CPU);
        var layer = QuantizedLayer(weight, bias, scheme);
        return device.type == DeviceType.CPU ? layer : layer.to(device);
    }

    private static void Replace(CausalLM model, Func<Projection, nn.Module<Tensor, Tensor>> make)
    {
        using var _ = no_grad();
        foreach (var layer in model.Model.Layers)
        {
            foreach (var name in Attention.ProjectionNames)
            {
                if (layer.SelfAttention.GetProjection(name) is Projection projection)
                {
                    var replacement = make(projection);
                    layer.SelfAttention.ReplaceProjection(name, replacement);
                    projection.Dispose();
                }
            }
            foreach (var name in Mlp.ProjectionNames)
            {
                if (layer.FeedForward.GetProjection(name) is Projection projection)
                {
                    var replacement = make(projection);
                    layer.FeedForward.ReplaceProjection(name, replacement);
                    projection.Dispose();
                }
            }
        }
    }
}
