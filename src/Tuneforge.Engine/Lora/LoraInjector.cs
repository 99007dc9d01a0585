using TorchSharp;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Models.Layers;
using Tuneforge.Engine.Quantization;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Lora;

/// <summary>Wraps the target projections of every decoder layer in a <see cref="LoraLinear"/> (PEFT's get_peft_model).</summary>
public static class LoraInjector
{
    /// <summary>
    /// Adds adapters, initialized from <paramref name="seed"/> in module order, and freezes everything else but the
    /// <see cref="LoraSettings.ModulesToSave"/>, which keep the base's values and train whole.
    /// Returns the adapters by module name (<c>model.layers.0.self_attn.q_proj</c>). The adapters live on the model's
    /// device, or on <paramref name="adapterDevice"/>: a model built on <c>meta</c> then yields the initial adapter of
    /// any size without holding its weights.
    /// </summary>
    public static IReadOnlyList<(string Name, LoraLinear Layer)> Apply(CausalLM model, LoraSettings settings, DropoutSource? dropout, long seed, Device? adapterDevice = null)
    {
        var device = adapterDevice ?? model.Device;
        foreach (var parameter in model.parameters()) parameter.requires_grad = false;
        using var generator = new Generator((ulong)seed);
        var added = new List<(string, LoraLinear)>();
        var layers = model.Model.Layers;
        for (var i = 0; i < layers.Count; i++)
        {
            foreach (var name in Attention.ProjectionNames.Where(settings.TargetModules.Contains))
            {
                var lora = Wrap(layers[i].SelfAttention.GetProjection(name), settings, dropout, device, $"model.layers.{i}.self_attn.{name}");
                lora.ResetParameters(generator);
                layers[i].SelfAttention.ReplaceProjection(name, lora);
                added.Add(($"model.layers.{i}.self_attn.{name}", lora));
            }
            foreach (var name in Mlp.ProjectionNames.Where(settings.TargetModules.Contains))
            {
                var lora = Wrap(layers[i].FeedForward.GetProjection(name), settings, dropout, device, $"model.layers.{i}.mlp.{name}");
                lora.ResetParameters(generator);
                layers[i].FeedForward.ReplaceProjection(name, lora);
                added.Add(($"model.layers.{i}.mlp.{name}", lora));
            }
        }
        foreach (var (_, weight) in SavedModules.Find(model, settings.ModulesToSave)) weight.requires_grad = true;
        return added;
    }

    /// <summary>The adapters of a model, by module name, in module order.</summary>
    public static IReadOnlyList<(string Name, LoraLinear Layer)> Find(CausalLM model) =>
        model.named_modules().Where(m => m.module is LoraLinear).Select(m => (m.name, (LoraLinear)m.module)).ToList();

    private static LoraLinear Wrap(nn.Module<Tensor, Tensor> layer, LoraSettings settings, DropoutSource? dropout, Device device, string name)
    {
        var (inFeatures, outFeatures) = layer switch
        {
            Projection p => (p.InFeatures, p.OutFeatures),
            Nf4Linear q => (q.InFeatures, q.OutFeatures),
            LoraLinear => throw new InvalidOperationException($"{name} already has an adapter"),
            _ => throw new InvalidOperationException($"{name} is a {layer.GetType().Name}, which cannot take an adapter"),
        };
        return new LoraLinear(layer, inFeatures, outFeatures, settings, dropout, device);
    }
}
