using Tuneforge.Engine.Generation;
using Tuneforge.Engine.Models;
using Tuneforge.Serve.Generation;

namespace Tuneforge.Serve.Torch;

/// <summary>
/// Runs one batch of API jobs through the engine's <see cref="BatchDecoder"/> (the loop Predict and Quantize use):
/// each job is a row with its request's sampling, detokenized incrementally; EOS, stop strings, max_tokens and
/// cancellation end a row.
/// </summary>
internal sealed class TorchBatchRunner(CausalLM model, Func<IReadOnlyList<int>, string> decode, IReadOnlySet<int> endOfSequence, int padId)
{
    /// <summary>Runs the batch to its end; every job is finished when this returns or throws.</summary>
    public void Run(IReadOnlyList<GenerationJob> jobs)
    {
        foreach (var job in jobs) job.MarkStarted();
        var rows = jobs.Select(job => new JobRow(job, new IncrementalDetokenizer(decode), endOfSequence)).ToArray();
        BatchDecoder.Run(model, rows, padId, beforeStep: () =>
        {
            foreach (var job in jobs)
            {
                if (!job.IsFinished && job.Cancellation.IsCancellationRequested) job.Abandon();
            }
        });
    }

    private sealed class JobRow(GenerationJob job, IncrementalDetokenizer detokenizer, IReadOnlySet<int> endOfSequence) : IDecodedRow
    {
        public IReadOnlyList<int> Prompt => job.Prompt.Ids;
        public TokenSampling Sampling { get; } = job.Sampling.ToTokenSampling();
        public int MaxNewTokens => job.Sampling.MaxTokens;
        public bool IsFinished => job.IsFinished;

        public void Accept(int token)
        {
            if (endOfSequence.Contains(token)) job.EndOfSequence(token);
            else job.Append(detokenizer.Push(token), token);
        }
    }
}
