using Tuneforge.Engine.Models.Layers;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Training.Loop;

/// <summary>
/// The LM head and cross-entropy over only the positions that carry loss, a chunk of rows at a time: logits of one
/// chunk (rows × vocab, float32 for the softmax) exist at once, never [batch, seq, vocab]. In training each chunk's
/// gradient is computed in place of its logits (softmax minus one-hot, no autograd graph) and taken back through the
/// head right away, into the hidden rows and, when the head is trained, into its weight.
/// </summary>
public static class ChunkedLmHead
{
    /// <summary>Rows per chunk so a chunk's logits hold about <paramref name="chunkElements"/> values.</summary>
    public static long ChunkRows(long vocabSize, long chunkElements) => Math.Clamp(chunkElements / vocabSize, 8, 8192);

    /// <summary>Σ cross-entropy over <paramref name="rows"/> (N, H); when <paramref name="gradients"/> is given, fills it
    /// with d(loss · <paramref name="gradScale"/>)/d rows, one tensor per chunk, and adds the head weight's gradient.</summary>
    public static double LossSum(Tensor rows, Tensor headWeight, Tensor targets, long chunkRows, double gradScale = 1, List<Tensor>? gradients = null)
    {
        using var _ = no_grad();
        // A frozen bfloat16 head with float32 math is widened a block of rows at a time, never whole.
        var widened = headWeight.dtype != rows.dtype;
        var total = 0.0;
        var count = rows.shape[0];
        for (long start = 0; start < count; start += chunkRows)
        {
            using var scope = NewDisposeScope();
            var size = Math.Min(chunkRows, count - start);
            var part = rows.narrow(0, start, size);
            var target = targets.narrow(0, start, size).unsqueeze(1);                        // (n, 1)
            var logits = (widened ? Projection.WidenedLinear(part, headWeight) : nn.functional.linear(part, headWeight)).to_type(ScalarType.Float32);  // (n, V), a fresh float32 tensor
            logits.sub_(logits.amax([1], keepdim: true));                                     // shifted: exp cannot overflow
            var targetLogit = logits.gather(1, target);
            var sums = logits.exp_().sum([1], keepdim: true);                                 // logits now hold exp
            total += sums.log().sub_(targetLogit).sum().item<float>();                        // Σ log Σexp − target
            if (gradients is null) continue;

            var probabilities = logits.mul_(sums.reciprocal().mul_(gradScale));               // softmax · scale
            probabilities.scatter_add_(1, target, full([size, 1], -gradScale, ScalarType.Float32, probabilities.device));
            var gradLogits = probabilities.to_type(widened ? rows.dtype : headWeight.dtype);  // (n, V)
            gradients.Add((widened ? Projection.WidenedBackward(gradLogits, headWeight) : gradLogits.matmul(headWeight)).MoveToOuterDisposeScope());   // (n, H)
            if (headWeight.requires_grad) Accumulate(headWeight, gradLogits.t().matmul(part));
        }
        return total;
    }

    private static void Accumulate(Tensor weight, Tensor gradient)
    {
        if (weight.grad is { } existing) existing.add_(gradient);
        else weight.grad = gradient.detach().clone().MoveToOuterDisposeScope();
    }
}
