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
        foreach (var (name, parameter) in model.named_parameters())
        {
            using var values = InitialValues(name, parameter.shape, model.Config.InitializerRange, generator);
            parameter.copy_(values);
        }
    }

    /// <summary>The float32 values of one parameter; called in parameter order with one generator, they are the weights
    /// <see cref="Initialize"/> gives (the streamed preset writer draws them one tensor at a time).</summary>
    public static Tensor InitialValues(string name, long[] shape, double std, Generator generator) =>
        name.EndsWith("norm.weight", StringComparison.Ordinal) ? ones(shape)
        : name.EndsWith(".bias", StringComparison.Ordinal) ? zeros(shape)
        : normal(0, std, shape, generator: generator);
}
