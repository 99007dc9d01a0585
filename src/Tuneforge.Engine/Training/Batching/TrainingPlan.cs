using Tuneforge.Data.Training;
using Tuneforge.Engine.Training.Data;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Engine.Training.Batching;

/// <summary>
/// Every step of a run, decided up front from the seed: each epoch shuffles the examples, packs them into rows of
/// max_seq_length when packing, sorts each megabatch of 50 steps' rows by length when grouping by length
/// (transformers' LengthGroupedSampler), then cuts micro-batches and steps. A partial last step of an epoch is a step.
/// </summary>
public sealed class TrainingPlan
{
    private const int MegabatchSteps = 50;
    private readonly List<StepPlan> _steps;

    private TrainingPlan(List<StepPlan> steps, int stepsPerEpoch)
    {
        _steps = steps;
        StepsPerFirstEpoch = stepsPerEpoch;
    }

    public int TotalSteps => _steps.Count;
    public int StepsPerFirstEpoch { get; }
    public IReadOnlyList<StepPlan> Steps => _steps;

    /// <summary>The plan of global step <paramref name="step"/> (1-based).</summary>
    public StepPlan Step(int step) => _steps[step - 1];

    public static TrainingPlan Create(IReadOnlyList<EncodedExample> examples, TrainSpec spec)
    {
        if (examples.Count == 0) throw new ArgumentException("no training examples");
        var perStep = spec.PerDeviceTrainBatchSize * spec.GradientAccumulationSteps;
        var steps = new List<StepPlan>();
        var firstEpochSteps = 0;
        var target = spec.MaxSteps > 0 ? (int?)spec.MaxSteps : null;
        var wholeEpochs = (int)Math.Floor(spec.NumTrainEpochs);
        var fraction = spec.NumTrainEpochs - wholeEpochs;
        for (var epoch = 0; ; epoch++)
        {
            if (target is null && epoch > wholeEpochs) break;
            if (target is null && epoch == wholeEpochs && fraction <= 0) break;
            var rows = Rows(examples, spec, epoch, perStep);
            var micro = Chunk(rows, spec.PerDeviceTrainBatchSize);
            var epochSteps = Chunk(micro, spec.GradientAccumulationSteps);
            if (epoch == 0) firstEpochSteps = epochSteps.Count;
            var take = target is { } t ? Math.Min(epochSteps.Count, t - steps.Count)
                : epoch < wholeEpochs ? epochSteps.Count
                : (int)Math.Ceiling(fraction * epochSteps.Count);
            for (var i = 0; i < take; i++)
                steps.Add(new StepPlan(steps.Count + 1, epoch, i, epochSteps.Count, epochSteps[i]));
            if (target is { } limit && steps.Count >= limit) break;
        }
        return new TrainingPlan(steps, firstEpochSteps);
    }

    private static List<int[]> Rows(IReadOnlyList<EncodedExample> examples, TrainSpec spec, int epoch, int perStep)
    {
        var order = SeededOrder.Permutation(examples.Count, spec.Seed, epoch);
        var rows = spec.Packing ? Pack(order, examples, spec.MaxSeqLength) : order.Select(i => new[] { i }).ToList();
        if (!spec.GroupByLength) return rows;
        int Length(int[] row) => row.Sum(i => examples[i].Length);
        var grouped = new List<int[]>(rows.Count);
        foreach (var megabatch in Chunk(rows, MegabatchSteps * perStep))
            grouped.AddRange(megabatch.OrderByDescending(Length));   // stable: ties keep the shuffled order
        return grouped;
    }

    // Greedy in shuffled order: a row takes examples while they fit in max_seq_length.
    private static List<int[]> Pack(int[] order, IReadOnlyList<EncodedExample> examples, int capacity)
    {
        var rows = new List<int[]>();
        var current = new List<int>();
        var used = 0;
        foreach (var index in order)
        {
            var length = examples[index].Length;
            if (current.Count > 0 && used + length > capacity)
            {
                rows.Add([.. current]);
                current.Clear();
                used = 0;
            }
            current.Add(index);
            used += length;
        }
        if (current.Count > 0) rows.Add([.. current]);
        return rows;
    }

    private static List<IReadOnlyList<T>> Chunk<T>(IReadOnlyList<T> items, int size)
    {
        var chunks = new List<IReadOnlyList<T>>();
        for (var start = 0; start < items.Count; start += size)
            chunks.Add(items.Skip(start).Take(size).ToList());
        return chunks;
    }
}
