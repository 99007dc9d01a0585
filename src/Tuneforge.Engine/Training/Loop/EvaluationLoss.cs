using Tuneforge.Data.Training;
using Tuneforge.Engine.Training.Batching;
using Tuneforge.Engine.Training.Data;

namespace Tuneforge.Engine.Training.Loop;

/// <summary>The validation loss: cross-entropy averaged over every response token of the split (dropout off).</summary>
public static class EvaluationLoss
{
    public static double Compute(TrainableModel model, MicroBatchStep step, IReadOnlyList<EncodedExample> examples, int batchSize)
    {
        // Longest first, in a fixed order: little padding, and the same batches every time.
        var order = Enumerable.Range(0, examples.Count).OrderByDescending(i => examples[i].Length).ThenBy(i => i).ToList();
        var wasTraining = model.Model.training;
        model.Model.eval();
        try
        {
            var (sum, tokens) = (0.0, 0L);
            for (var start = 0; start < order.Count; start += batchSize)
            {
                var rows = order.Skip(start).Take(batchSize).Select(i => new[] { i }).ToList();
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
