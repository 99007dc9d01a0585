using Tuneforge.Engine.Models;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Generation;

/// <summary>
/// Continues a batch of prompts with a <see cref="CausalLM"/>: left padding with an attention mask (positions count
/// from each row's first real token), a preallocated KV cache, greedy or seeded sampling, EOS ids, stop strings,
/// and a callback per generated token.
/// </summary>
public sealed class TextGenerator(CausalLM model, TokenDecoder? decoder = null)
{
    public IReadOnlyList<GeneratedSequence> Generate(
        IReadOnlyList<IReadOnlyList<int>> prompts,
        GenerationOptions options,
        Action<GeneratedToken>? onToken = null,
        CancellationToken cancellation = default)
    {
        options.Validate();
        if (prompts.Count == 0) return [];
        for (var i = 0; i < prompts.Count; i++)
        {
            if (prompts[i].Count == 0) throw new ArgumentException($"prompt {i} has no tokens");
            foreach (var id in prompts[i])
            {
                if (id < 0 || id >= model.Config.VocabSize)
                    throw new ArgumentException($"prompt {i} holds token id {id}, outside the model's vocabulary of {model.Config.VocabSize}");
            }
        }

        var batch = prompts.Count;
        var longest = prompts.Max(p => p.Count);
        var padded = prompts.Any(p => p.Count != longest);
        var device = model.Device;
        var sequences = prompts.Select(p => new List<int>(p)).ToArray();   // prompt + generated, unpadded
        var generated = Enumerable.Range(0, batch).Select(_ => new List<int>()).ToArray();
        var finish = new FinishReason?[batch];
        var trackers = decoder is null ? null : prompts.Select(_ => new TextTracker(decoder, options.StopStrings)).ToArray();
        var texts = new string?[batch];
        var eos = options.EosTokenIds.ToHashSet();

        using var _ = no_grad();
        using var sampler = new Generator((ulong)options.Seed);
        using var cache = options.UseKvCache ? new KvCache(model.Config, batch, longest + options.MaxNewTokens, device, model.DType) : null;
        using var scope = NewDisposeScope();

        var mask = padded ? LeftPaddedMask(sequences.Select(s => s.Count).ToArray(), longest, device) : null; // (B, L)
        var input = LeftPadded(sequences, longest, options.PadTokenId, padWithFirst: false, device);        // (B, L)
        for (var step = 0; step < options.MaxNewTokens; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var stepScope = NewDisposeScope();
            var output = model.call(new CausalLMInput(input, mask, Cache: cache, Logits: LogitsMode.LastPosition));
            var logits = output.Logits!.select(1, 0);                                        // (B, vocab)
            var seen = LeftPadded(sequences, sequences.Max(s => s.Count), 0, padWithFirst: true, device);
            var next = LogitsProcessor.NextTokens(logits.cpu(), seen.cpu(), options, sampler).data<long>().ToArray();

            for (var row = 0; row < batch; row++)
            {
                if (finish[row] is not null) continue;
                var token = (int)next[row];
                generated[row].Add(token);
                sequences[row].Add(token);
                string? delta = null;
                if (eos.Contains(token)) finish[row] = FinishReason.Eos;
                else if (trackers is not null)
                {
                    (delta, var stopped) = trackers[row].Update(generated[row]);
                    if (stopped) finish[row] = FinishReason.StopString;
                }
                if (finish[row] is null && generated[row].Count == options.MaxNewTokens) finish[row] = FinishReason.Length;
                onToken?.Invoke(new GeneratedToken(row, step, token, delta));
            }
            if (finish.All(f => f is not null)) break;

            // Finished rows keep being fed padding; their outputs are ignored.
            var fed = Enumerable.Range(0, batch).Select(r => finish[r] is null ? (long)next[r] : options.PadTokenId).ToArray();
            if (cache is not null)
            {
                input = tensor(fed, device: device).view(batch, 1).MoveToOuterDisposeScope();
            }
            else
            {
                var longestNow = sequences.Max(s => s.Count);
                input = LeftPadded(sequences, longestNow, options.PadTokenId, padWithFirst: false, device).MoveToOuterDisposeScope();
            }
            if (mask is not null) mask = cat([mask, ones(batch, 1, ScalarType.Int64, device)], 1).MoveToOuterDisposeScope();
            if (cache is null && mask is not null) mask = LeftPaddedMask(sequences.Select(s => s.Count).ToArray(), sequences.Max(s => s.Count), device).MoveToOuterDisposeScope();
        }

        return Enumerable.Range(0, batch).Select(row =>
        {
            var reason = finish[row] ?? FinishReason.Length;
            var tokens = generated[row];
            if (trackers is not null)
            {
                texts[row] = reason == FinishReason.StopString ? trackers[row].Text
                    : trackers[row].Finish(reason == FinishReason.Eos ? tokens[..^1] : tokens);
            }
            return new GeneratedSequence(row, tokens.ToArray(), texts[row], reason);
        }).ToList();
    }

    // padWithFirst repeats a row's first id in its padding, so the repetition penalty sees only real tokens.
    private static Tensor LeftPadded(List<int>[] rows, int length, long padId, bool padWithFirst, Device device)
    {
        var data = new long[rows.Length * length];
        for (var r = 0; r < rows.Length; r++)
        {
            var offset = length - rows[r].Count;
            var fill = padWithFirst ? rows[r][0] : padId;
            for (var i = 0; i < length; i++) data[r * length + i] = i < offset ? fill : rows[r][i - offset];
        }
        return tensor(data, device: device).view(rows.Length, length);
    }

    private static Tensor LeftPaddedMask(int[] counts, int length, Device device)
    {
        var data = new long[counts.Length * length];
        for (var r = 0; r < counts.Length; r++)
            for (var i = length - counts[r]; i < length; i++) data[r * length + i] = 1;
        return tensor(data, device: device).view(counts.Length, length);
    }
}
