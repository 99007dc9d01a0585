using Tuneforge.Data.Training;
using Tuneforge.Engine.Training.Data;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Training.Batching;

/// <summary>Turns rows of examples into a <see cref="TrainingBatch"/>: ids, positions, the loss positions and targets.</summary>
public static class BatchCollator
{
    public static TrainingBatch Collate(IReadOnlyList<int[]> rows, IReadOnlyList<EncodedExample> examples, Device device, int padId = 0)
    {
        var packed = rows.Any(r => r.Length > 1);
        var length = rows.Max(r => r.Sum(i => examples[i].Length));
        var batch = rows.Count;
        var ids = new long[batch * length];
        Array.Fill(ids, padId);
        var positions = new long[packed ? batch * length : length];
        var segments = packed ? new int[batch * length] : null;
        if (segments is not null) Array.Fill(segments, -1);
        var lossRows = new List<long>();
        var targets = new List<long>();
        long tokens = 0;
        for (var b = 0; b < batch; b++)
        {
            var offset = 0;
            for (var s = 0; s < rows[b].Length; s++)
            {
                var example = examples[rows[b][s]];
                for (var t = 0; t < example.Length; t++)
                {
                    var flat = b * length + offset + t;
                    ids[flat] = example.InputIds[t];
                    if (packed)
                    {
                        positions[flat] = t;
                        segments![flat] = s;
                    }
                    // The state before token t predicts it; an example's first token has no state of its own before it.
                    if (t > 0 && example.LossMask[t])
                    {
                        lossRows.Add(flat - 1);
                        targets.Add(example.InputIds[t]);
                    }
                }
                offset += example.Length;
                tokens += example.Length;
            }
        }
        if (!packed) for (var t = 0; t < length; t++) positions[t] = t;

        var idTensor = tensor(ids, device: device).view(batch, length);
        var positionTensor = tensor(positions, device: device).view(packed ? batch : 1, length);
        var mask = packed ? BlockCausalMask(segments!, batch, length, device) : null;
        return new TrainingBatch(idTensor, positionTensor, mask, tensor(lossRows.ToArray(), device: device), tensor(targets.ToArray(), device: device),
            batch, length, tokens, lossRows.Count);
    }

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
