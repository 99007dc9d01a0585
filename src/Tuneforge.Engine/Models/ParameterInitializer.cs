using TorchSharp;
using Tuneforge.Engine.Models.Layers;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Models;

/// <summary>
/// Hugging Face's initialization (normal(0, initializer_range) for projections and embeddings, zero biases, unit norms),
/// drawn on the CPU in float32 from one seeded generator in parameter order: the same seed gives the same weights
/// on every device and dtype.
/// </summary>
public static class ParameterInitializer
{
    public static void Initialize(CausalLM model, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var _ = no_grad();
        var std = model.Config.InitializerRange;
        foreach (var (name, parameter) in model.named_parameters())
        {
            using var scope = NewDisposeScope();
            var values = name.EndsWith("norm.weight", StringComparison.Ordinal) ? ones(parameter.shape)
                : name.EndsWith(".bias", StringComparison.Ordinal) ? zeros(parameter.shape)
                : normal(0, std, parameter.shape, generator: generator);
            parameter.copy_(values);
        }
    }
}
