using Tuneforge.Engine.Models;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Generation;

/// <summary>
/// The one batched decode loop of the engine: prompts left-padded with an attention mask (positions count from each
/// row's first real token), one preallocated KV cache for the batch, the <see cref="TokenSampler"/> with each row's own
/// settings. Rows that finish early are fed padding until the last row ends; their outputs are ignored.
/// </summary>
public static class BatchDecoder
{
    /// <summary>Decodes until every row is finished.</summary>
    /// <param name="beforeStep">Runs before each forward pass (a caller's cancellation: throw, or finish rows).</param>
    /// <param name="useKvCache">False recomputes the whole sequence every step (slow; for checks).</param>
    public static void Run(CausalLM model, IReadOnlyList<IDecodedRow> rows, int padId, bool useKvCache = true, Action? beforeStep = null)
    {
        if (rows.Count == 0) return;
        var batch = rows.Count;
        var sequences = rows.Select(r => new List<int>(r.Prompt)).ToArray();   // prompt + generated, unpadded
        var longest = sequences.Max(s => s.Count);
        var maxNewTokens = rows.Max(r => r.MaxNewTokens);
        var sampler = new TokenSampler(rows.Select(r => r.Sampling).ToList());
        var device = model.Device;

        using var _ = no_grad();
        using var cache = useKvCache ? new KvCache(model.Config, batch, longest + maxNewTokens, device, model.ActivationDType) : null;
        using var scope = NewDisposeScope();
        var mask = sequences.Any(s => s.Count != longest) ? LeftPaddedMask(sequences, longest, device) : null;   // (B, L)
        var input = LeftPadded(sequences, longest, padId, device);                                                // (B, L)
        for (var step = 0; step < maxNewTokens; step++)
        {
            beforeStep?.Invoke();
            if (rows.All(r => r.IsFinished)) return;

            using var stepScope = NewDisposeScope();
            var output = model.call(new CausalLMInput(input, mask, Cache: cache, Logits: LogitsMode.LastPosition));
            var next = sampler.Next(output.Logits!.select(1, 0), sequences);                                     // (B, vocab) -> B ids
            var fed = new long[batch];
            for (var row = 0; row < batch; row++)
            {
                fed[row] = padId;
                if (rows[row].IsFinished) continue;
                var token = (int)next[row];
                sequences[row].Add(token);
                rows[row].Accept(token);
                if (!rows[row].IsFinished) fed[row] = token;
            }
            if (rows.All(r => r.IsFinished)) return;

            if (cache is not null)
            {
                input = tensor(fed, device: device).view(batch, 1).MoveToOuterDisposeScope();
                if (mask is not null) mask = cat([mask, ones(batch, 1, ScalarType.Int64, device)], 1).MoveToOuterDisposeScope();
            }
            else
            {
                // Without a cache finished rows stop growing: the whole batch is padded again.
                var longestNow = sequences.Max(s => s.Count);
                input = LeftPadded(sequences, longestNow, padId, device).MoveToOuterDisposeScope();
                mask = sequences.Any(s => s.Count != longestNow) ? LeftPaddedMask(sequences, longestNow, device).MoveToOuterDisposeScope() : null;
            }
        }
    }

    private static Tensor LeftPadded(List<int>[] rows, int length, long padId, Device device)
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
