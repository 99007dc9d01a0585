using static TorchSharp.torch;

namespace Tuneforge.Engine.Training.Loop;

/// <summary>
/// The LM head and cross-entropy over only the positions that carry loss, a chunk of rows at a time: logits of one
/// chunk (rows × vocab, float32 for the softmax) exist at once, never [batch, seq, vocab]. In training each chunk is
/// backpropagated to its rows of the hidden state right away (and into the head weight if it is trained).
/// </summary>
public static class ChunkedLmHead
{
    /// <summary>Rows per chunk so a chunk's logits hold about <paramref name="chunkElements"/> values.</summary>
    public static long ChunkRows(long vocabSize, long chunkElements) => Math.Clamp(chunkElements / vocabSize, 8, 8192);

    /// <summary>Σ cross-entropy over <paramref name="rows"/> (N, H); when <paramref name="gradients"/> is given, backward of
    /// loss · <paramref name="gradScale"/> fills it with d/d rows, one tensor per chunk.</summary>
    public static double LossSum(Tensor rows, Tensor headWeight, Tensor targets, long chunkRows, double gradScale = 1, List<Tensor>? gradients = null)
    {
        var total = 0.0;
        var count = rows.shape[0];
        for (long start = 0; start < count; start += chunkRows)
        {
            using var scope = NewDisposeScope();
            var size = Math.Min(chunkRows, count - start);
            var part = rows.narrow(0, start, size).detach();
            if (gradients is not null) part.requires_grad_(true);
            var logits = nn.functional.linear(part, headWeight);                                     // (n, V)
            var loss = nn.functional.cross_entropy(logits.to_type(ScalarType.Float32), targets.narrow(0, start, size),
                reduction: nn.Reduction.Sum);
            total += loss.item<float>();
            if (gradients is null) continue;
            loss.mul(gradScale).backward();
            gradients.Add(part.grad!.detach().MoveToOuterDisposeScope());
        }
        return total;
    }
}
