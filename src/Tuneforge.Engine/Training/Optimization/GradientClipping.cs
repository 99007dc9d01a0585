using static TorchSharp.torch;

namespace Tuneforge.Engine.Training.Optimization;

/// <summary><c>clip_grad_norm_</c>: the global L2 norm of all gradients, scaled down to <c>max_norm</c> when above it.</summary>
public static class GradientClipping
{
    /// <summary>Returns the norm before clipping (what transformers logs as grad_norm); NaN or ∞ when a gradient is.</summary>
    public static double ClipByGlobalNorm(IReadOnlyList<TrainableParameter> parameters, double maxNorm)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var grads = parameters.Select(p => p.Grad).OfType<Tensor>().ToList();
        if (grads.Count == 0) return 0;
        var total = stack(grads.Select(g => g.norm()).ToArray()).norm().item<float>();
        if (maxNorm > 0 && double.IsFinite(total))
        {
            var coefficient = maxNorm / (total + 1e-6);
            if (coefficient < 1) foreach (var grad in grads) grad.mul_(coefficient);
        }
        return total;
    }
}
