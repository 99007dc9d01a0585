using Tuneforge.Data.Training;
using Tuneforge.Engine.Training.Data;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Training.Batching;

/// <summary>Turns rows of examples into a <see cref="TrainingBatch"/>: the tensors of their <see cref="CollatedRows"/>.</summary>
public static class BatchCollator
{
    public static TrainingBatch Collate(IReadOnlyList<int[]> rows, IReadOnlyList<EncodedExample> examples, Device device, int padId = 0)
    {
        var collated = CollatedRows.Collate(rows, examples, padId);
        var (batch, length) = (collated.Rows, collated.Length);
        var ids = Int64(collated.InputIds, [batch, length], device);
        // Without packing every row has the same positions: one row broadcasts.
        var positions = collated.Packed
            ? Int64(collated.PositionIds, [batch, length], device)
            : Int64(collated.PositionIds[..length], [1, length], device);
        var mask = collated.Packed ? BlockCausalMask(collated.Segments, batch, length, device) : null;
        return new TrainingBatch(ids, positions, mask, Int64(collated.LossRows, [collated.LossTokens], device), Int64(collated.Targets, [collated.LossTokens], device),
            batch, length, collated.Tokens, collated.LossTokens);
    }

    private static Tensor Int64(int[] values, long[] shape, Device device) => tensor(values, shape, ScalarType.Int64, device);

    // A query sees the keys of its own example up to itself; padding (segment −1) sees only padding, never NaN.
    private static Tensor BlockCausalMask(int[] segments, int batch, int length, Device device)
    {
        using var scope = NewDisposeScope();
        var segment = tensor(segments, device: device).view(batch, length);
        var sameExample = segment.unsqueeze(2).eq(segment.unsqueeze(1));                       // (B, T, T)
        var causal = ones(length, length, ScalarType.Bool, device).tril();                     // (T, T)
        return sameExample.logical_and(causal).unsqueeze(1).MoveToOuterDisposeScope();         // (B, 1, T, T)
    }
}
