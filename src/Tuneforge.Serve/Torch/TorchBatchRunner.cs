using Tuneforge.Engine.Models;
using Tuneforge.Serve.Generation;
using static TorchSharp.torch;

namespace Tuneforge.Serve.Torch;

/// <summary>
/// Generates one batch of jobs together: prompts left-padded with an attention mask (positions count from each row's
/// first real token), one KV cache for the batch, and per-row sampling, stop strings, max_tokens and cancellation.
/// Rows that finish early are fed padding until the last row ends.
/// </summary>
internal sealed class TorchBatchRunner(CausalLM model, Func<IReadOnlyList<int>, string> decode, IReadOnlySet<int> endOfSequence, int padId)
{
    /// <summary>Runs the batch to its end; every job is finished when this returns or throws.</summary>
    public void Run(IReadOnlyList<GenerationJob> jobs)
    {
        var batch = jobs.Count;
        var sequences = jobs.Select(j => new List<int>(j.Prompt.Ids)).ToArray();
        var longest = sequences.Max(s => s.Count);
        var capacity = longest + jobs.Max(j => j.Sampling.MaxTokens);
        var detokenizers = jobs.Select(_ => new IncrementalDetokenizer(decode)).ToArray();
        var sampler = new BatchSampler(jobs.Select(j => j.Sampling).ToList());
        var device = model.Device;
        foreach (var job in jobs) job.MarkStarted();

        using var _ = no_grad();
        using var cache = new KvCache(model.Config, batch, capacity, device, model.DType);
        using var scope = NewDisposeScope();
        var mask = sequences.Any(s => s.Count != longest) ? LeftPaddedMask(sequences, longest, device) : null;   // (B, L)
        var input = LeftPadded(sequences, longest, device);                                                      // (B, L)
        while (true)
        {
            foreach (var job in jobs)
            {
                if (!job.IsFinished && job.Cancellation.IsCancellationRequested) job.Abandon();
            }
            if (jobs.All(j => j.IsFinished)) return;

            using var stepScope = NewDisposeScope();
            var output = model.call(new CausalLMInput(input, mask, Cache: cache, Logits: LogitsMode.LastPosition));
            var next = sampler.Next(output.Logits!.select(1, 0), sequences);                                    // (B, vocab) -> B ids
            var fed = new long[batch];
            for (var row = 0; row < batch; row++)
            {
                var job = jobs[row];
                fed[row] = padId;
                if (job.IsFinished) continue;
                var token = (int)next[row];
                sequences[row].Add(token);
                if (endOfSequence.Contains(token)) job.EndOfSequence();
                else if (!job.Append(detokenizers[row].Push(token))) fed[row] = token;
            }
            if (jobs.All(j => j.IsFinished)) return;

            input = tensor(fed, device: device).view(batch, 1).MoveToOuterDisposeScope();
            if (mask is not null) mask = cat([mask, ones(batch, 1, ScalarType.Int64, device)], 1).MoveToOuterDisposeScope();
        }
    }

    private Tensor LeftPadded(List<int>[] rows, int length, Device device)
    {
        var data = new long[rows.Length * length];
        for (var r = 0; r < rows.Length; r++)
        {
            var offset = length - rows[r].Count;
            for (var i = 0; i < length; i++) data[r * length + i] = i < offset ? padId : rows[r][i - offset];
        }
        return tensor(data, device: device).view(rows.Length, length);
    }

    private static Tensor LeftPaddedMask(List<int>[] rows, int length, Device device)
    {
        var data = new long[rows.Length * length];
        for (var r = 0; r < rows.Length; r++)
            for (var i = length - rows[r].Count; i < length; i++) data[r * length + i] = 1;
        return tensor(data, device: device).view(rows.Length, length);
    }
}
