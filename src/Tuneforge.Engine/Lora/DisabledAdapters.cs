using Tuneforge.Engine.Models;

namespace Tuneforge.Engine.Lora;

/// <summary>While alive, every adapter of a model is off: the model computes its frozen base (PEFT's
/// <c>with model.disable_adapter():</c>). Disposing turns them back on.</summary>
public sealed class DisabledAdapters : IDisposable
{
    private readonly IReadOnlyList<LoraLinear> _layers;

    private DisabledAdapters(IReadOnlyList<LoraLinear> layers)
    {
        _layers = layers;
        foreach (var layer in layers) layer.Enabled = false;
    }

    /// <summary>Turns the adapters of <paramref name="model"/> off; a model without adapters has none to turn off.</summary>
    public static DisabledAdapters Of(CausalLM model)
    {
        var layers = LoraInjector.Find(model).Select(found => found.Layer).ToList();
        if (layers.Count == 0) throw new InvalidOperationException("the model has no LoRA adapters: preference training's reference is the base with the adapter off, so it needs train.method lora or qlora underneath");
        return new DisabledAdapters(layers);
    }

    public void Dispose()
    {
        foreach (var layer in _layers) layer.Enabled = true;
    }
}
