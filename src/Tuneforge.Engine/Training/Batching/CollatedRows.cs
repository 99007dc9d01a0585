using Tuneforge.Data.Training;
using Tuneforge.Engine.Training.Data;

namespace Tuneforge.Engine.Training.Batching;

/// <summary>
/// One micro-batch as plain arrays, without torch: rows right-padded to the longest, the loss positions and their
/// targets. The native trainer makes its tensors from these (<see cref="BatchCollator"/>), and the PyTorch worker
/// reads the same arrays from the files <see cref="Worker.WorkerBatchFile"/> writes, so both train on the same batches.
/// </summary>
/// <param name="InputIds">Rows × Length token ids, padding filled with the pad id.</param>
/// <param name="PositionIds">Rows × Length: each token's position in its example (padding 0) when packed; else the column.</param>
/// <param name="Segments">Rows × Length: which example of its row a token belongs to (0, 1, …), −1 for padding.</param>
/// <param name="Packed">Whether any row holds more than one example (then attention needs the block mask of the segments).</param>
/// <param name="LossRows">Indices b·Length + t of the positions whose next token is trained.</param>
/// <param name="Targets">The token each of those positions predicts.</param>
/// <param name="Tokens">Real (non-padding) tokens.</param>
public sealed record CollatedRows(int Rows, int Length, int[] InputIds, int[] PositionIds, int[] Segments, bool Packed,
    int[] LossRows, int[] Targets, long Tokens)
{
    public int LossTokens => LossRows.Length;

    public static CollatedRows Collate(IReadOnlyList<int[]> rows, IReadOnlyList<EncodedExample> examples, int padId = 0)
    {
        var packed = rows.Any(r => r.Length > 1);
        var length = rows.Count == 0 ? 0 : rows.Max(r => r.Sum(i => examples[i].Length));
        var batch = rows.Count;
        var ids = new int[batch * length];
        Array.Fill(ids, padId);
        var positions = new int[batch * length];
        var segments = new int[batch * length];
        Array.Fill(segments, -1);
        var lossRows = new List<int>();
        var targets = new List<int>();
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
                    positions[flat] = t;
                    segments[flat] = s;
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
        if (!packed)
            for (var b = 0; b < batch; b++)
                for (var t = 0; t < length; t++) positions[b * length + t] = t;
        return new CollatedRows(batch, length, ids, positions, segments, packed, [.. lossRows], [.. targets], tokens);
    }
}
