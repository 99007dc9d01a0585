using Tuneforge.Data.Training;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Training.Batching;
using Tuneforge.Engine.Training.Data;
using Tuneforge.Engine.Training.Loop;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Evaluation;

/// <summary>Perplexity of references, teacher-forced on response tokens only (the chat template's mask, the tokens the
/// training loss counts), with the chunked head so [batch, seq, vocab] logits never exist; per category and overall
/// (token-weighted). The one meter of the engine: Predict's and Quantize's perplexities are the same measure.</summary>
public static class PerplexityMeter
{
    const long HeadChunkElements = 1L << 24;

    public sealed record Result(double Overall, IReadOnlyDictionary<string, double> ByCategory, long Tokens);

    /// <param name="onProgress">Examples measured so far, of all.</param>
    public static Result Measure(CausalLM model, IReadOnlyList<(EncodedExample Example, string Category)> examples, int batchSize,
        CancellationToken cancellation, Action<int, int>? onProgress = null)
    {
        var done = 0;
        var chunkRows = ChunkedLmHead.ChunkRows(model.Config.VocabSize, HeadChunkElements);
        var sums = new SortedDictionary<string, (double Loss, long Tokens)>(StringComparer.Ordinal);
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            foreach (var group in examples.GroupBy(e => e.Category))
            {
                var list = group.Select(e => e.Example).OrderByDescending(e => e.Length).ToList(); // little padding
                for (var start = 0; start < list.Count; start += batchSize)
                {
                    cancellation.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    var rows = Enumerable.Range(start, Math.Min(batchSize, list.Count - start)).Select(i => new[] { i }).ToList();
                    using var batch = BatchCollator.Collate(rows, list, model.Device);
                    var hidden = model.call(new CausalLMInput(batch.InputIds, PositionIds: batch.PositionIds, Logits: LogitsMode.None)).HiddenStates;
                    var lossRows = hidden.view(-1, hidden.shape[^1]).index_select(0, batch.LossRows);
                    var loss = ChunkedLmHead.LossSum(lossRows, model.HeadWeight, batch.Targets, chunkRows);
                    var previous = sums.GetValueOrDefault(group.Key);
                    sums[group.Key] = (previous.Loss + loss, previous.Tokens + batch.LossTokens);
                    done += rows.Count;
                    onProgress?.Invoke(done, examples.Count);
                }
            }
        }
        finally
        {
            if (wasTraining) model.train();
        }
        var totalLoss = sums.Values.Sum(s => s.Loss);
        var totalTokens = sums.Values.Sum(s => s.Tokens);
        return new Result(
            totalTokens > 0 ? Math.Exp(totalLoss / totalTokens) : double.NaN,
            sums.Where(s => s.Value.Tokens > 0).ToDictionary(s => s.Key, s => Math.Exp(s.Value.Loss / s.Value.Tokens)),
            totalTokens);
    }
}
