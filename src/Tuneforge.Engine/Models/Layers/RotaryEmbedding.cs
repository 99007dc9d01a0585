using static TorchSharp.torch;

namespace Tuneforge.Engine.Models.Layers;

/// <summary>
/// RoPE in Hugging Face's rotate-half layout: the first and second halves of each head are the pairs.
/// Holds no tensors between calls, so nothing of it lands in the state dict.
/// </summary>
public sealed class RotaryEmbedding
{
    private readonly float[] _inverseFrequencies;

    public RotaryEmbedding(int headDim, double theta, RopeScaling? scaling)
    {
        var frequencies = Enumerable.Range(0, headDim / 2)
            .Select(i => 1.0 / Math.Pow(theta, 2.0 * i / headDim))
            .ToArray();
        _inverseFrequencies = (scaling?.Apply(frequencies) ?? frequencies).Select(f => (float)f).ToArray();
    }

    public IReadOnlyList<float> InverseFrequencies => _inverseFrequencies;

    /// <summary>cos and sin for <paramref name="positionIds"/> (B, T), shaped (B, 1, T, D) to broadcast over heads.</summary>
    public (Tensor Cos, Tensor Sin) Compute(Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var inverse = tensor(_inverseFrequencies, device: positionIds.device);             // (D/2)
        var angles = positionIds.to_type(ScalarType.Float32).unsqueeze(-1) * inverse;      // (B, T, D/2)
        var doubled = cat([angles, angles], -1).unsqueeze(1);                              // (B, 1, T, D)
        var cos = doubled.cos().to_type(dtype);
        var sin = doubled.sin().to_type(dtype);
        return (cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    /// <summary>x·cos + rotate_half(x)·sin for x of shape (B, heads, T, D).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var first = x.narrow(-1, 0, half);
        var second = x.narrow(-1, half, half);
        var rotated = cat([-second, first], -1);
        return (x * cos + rotated * sin).MoveToOuterDisposeScope();
    }
}
