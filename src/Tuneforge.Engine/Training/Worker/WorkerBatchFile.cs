using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Training.Batching;

namespace Tuneforge.Engine.Training.Worker;

/// <summary>
/// One rank's micro-batches in a safetensors file, every micro-batch's arrays concatenated (int32, little-endian):
/// <c>input_ids</c>, <c>position_ids</c>, <c>segment_ids</c> (rows × length each), <c>loss_rows</c>, <c>targets</c>,
/// and <c>index</c>, one int64 row per micro-batch in order: <see cref="Columns"/>. A micro-batch with 0 rows is a
/// placeholder that keeps the ranks' collectives in step.
/// </summary>
public static class WorkerBatchFile
{
    /// <summary>The columns of <c>index</c>.</summary>
    public static readonly IReadOnlyList<string> Columns = ["step", "micro_batch", "rows", "length", "packed", "cell_offset", "loss_offset", "loss_count", "tokens"];

    public static void Write(string path, IEnumerable<(int Step, int MicroBatch, CollatedRows Rows)> batches)
    {
        var (ids, positions, segments, lossRows, targets, index) = (new List<int>(), new List<int>(), new List<int>(), new List<int>(), new List<int>(), new List<long>());
        var count = 0;
        foreach (var (step, micro, rows) in batches)
        {
            index.AddRange([step, micro, rows.Rows, rows.Length, rows.Packed ? 1 : 0, ids.Count, lossRows.Count, rows.LossTokens, rows.Tokens]);
            ids.AddRange(rows.InputIds);
            positions.AddRange(rows.PositionIds);
            segments.AddRange(rows.Segments);
            lossRows.AddRange(rows.LossRows);
            targets.AddRange(rows.Targets);
            count++;
        }
        SafeTensorsWriter.Write(path,
        [
            SafeTensorsArray.Int32("input_ids", [.. ids]),
            SafeTensorsArray.Int32("position_ids", [.. positions]),
            SafeTensorsArray.Int32("segment_ids", [.. segments]),
            SafeTensorsArray.Int32("loss_rows", [.. lossRows]),
            SafeTensorsArray.Int32("targets", [.. targets]),
            SafeTensorsArray.Int64("index", [.. index], count, Columns.Count),
        ], new Dictionary<string, string> { ["format"] = "tuneforge-batches", ["columns"] = string.Join(",", Columns) });
    }
}
