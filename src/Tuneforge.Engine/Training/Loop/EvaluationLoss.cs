using Tuneforge.Data.Training;
using Tuneforge.Engine.Training.Batching;
using Tuneforge.Engine.Training.Data;

namespace Tuneforge.Engine.Training.Loop;

/// <summary>The validation loss: cross-entropy averaged over every response token of the split (dropout off).</summary>
public static class EvaluationLoss
{
    /// <summary>The validation batches: longest first, in a fixed order (little padding, the same batches every time), one example per row.</summary>
    public static IReadOnlyList<IReadOnlyList<int[]>> Batches(IReadOnlyList<EncodedExample> examples, int batchSize)
    {
        var order = Enumerable.Range(0, examples.Count).OrderByDescending(i => examples[i].Length).ThenBy(i => i).ToList();
        var batches = new List<IReadOnlyList<int[]>>();
        for (var start = 0; start < order.Count; start += batchSize)
            batches.Add(order.Skip(start).Take(batchSize).Select(i => new[] { i }).ToList());
        return batches;
    }

    public static double Compute(TrainableModel model, MicroBatchStep step, IReadOnlyList<EncodedExample> examples, int batchSize)
    {
        var wasTraining = model.Model.training;
        model.Model.eval();
        try
        {
            var (sum, tokens) = (0.0, 0L);
            foreach (var rows in Batches(examples, batchSize))
            {
                using var batch = BatchCollator.Collate(rows, examples, model.Model.Device);
                sum += step.LossSum(batch);
                tokens += batch.LossTokens;
            }
            return tokens > 0 ? sum / tokens : double.NaN;
        }
        finally
        {
            if (wasTraining) model.Model.train();
        }
    }
}
