using Tuneforge.Data.Training;
using Tuneforge.Engine.Training.Batching;
using Tuneforge.Engine.Training.Data;
using Tuneforge.Engine.Training.Loop;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Engine.Training.Worker;

/// <summary>
/// The steps of a run on <c>world_size</c> processes: the native plan for a per-process batch of
/// per_device_train_batch_size × world_size (so N processes × batch b train exactly what one process × batch N·b
/// would, as under transformers' DistributedSampler), each micro-batch's rows dealt out in turn (row i to rank
/// i mod world_size). Every rank gets the same number of micro-batches per step, an empty one where a short last
/// micro-batch has no row for it, so the ranks' collectives stay in step. Validation batches are the native ones,
/// dealt out the same way and padded with empty batches to equal counts.
/// </summary>
public sealed class WorkerPlan
{
    private readonly IReadOnlyList<IReadOnlyList<int[]>> _evalBatches;

    private WorkerPlan(TrainingPlan global, int worldSize, IReadOnlyList<IReadOnlyList<int[]>> evalBatches)
    {
        Global = global;
        WorldSize = worldSize;
        _evalBatches = evalBatches;
    }

    /// <summary>The plan of all processes together (its micro-batches hold every rank's rows).</summary>
    public TrainingPlan Global { get; }
    public int WorldSize { get; }
    public int EvalBatchesPerRank => (_evalBatches.Count + WorldSize - 1) / WorldSize;

    public static WorkerPlan Create(IReadOnlyList<EncodedExample> train, IReadOnlyList<EncodedExample> val, TrainSpec spec, int worldSize)
    {
        if (worldSize < 1) throw new ArgumentOutOfRangeException(nameof(worldSize), worldSize, "at least one process");
        var global = TrainingPlan.Create(train, spec with { PerDeviceTrainBatchSize = spec.PerDeviceTrainBatchSize * worldSize });
        return new WorkerPlan(global, worldSize, val.Count == 0 ? [] : EvaluationLoss.Batches(val, spec.PerDeviceEvalBatchSize));
    }

    /// <summary>The rows rank <paramref name="rank"/> trains on in each micro-batch of each step, in order.</summary>
    public IEnumerable<(int Step, int MicroBatch, IReadOnlyList<int[]> Rows)> TrainBatches(int rank)
    {
        foreach (var step in Global.Steps)
            for (var m = 0; m < step.MicroBatches.Count; m++)
                yield return (step.GlobalStep, m, Deal(step.MicroBatches[m], rank));
    }

    /// <summary>The validation batches of rank <paramref name="rank"/>; the same count on every rank.</summary>
    public IEnumerable<IReadOnlyList<int[]>> EvalBatches(int rank)
    {
        for (var i = 0; i < EvalBatchesPerRank; i++)
        {
            var index = i * WorldSize + rank;
            yield return index < _evalBatches.Count ? _evalBatches[index] : [];
        }
    }

    private IReadOnlyList<int[]> Deal(IReadOnlyList<int[]> rows, int rank) =>
        rows.Where((_, i) => i % WorldSize == rank).ToList();
}
