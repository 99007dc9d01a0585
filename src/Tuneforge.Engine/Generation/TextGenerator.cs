using Tuneforge.Engine.Models;

namespace Tuneforge.Engine.Generation;

/// <summary>
/// Continues a batch of prompts with a <see cref="CausalLM"/> through the <see cref="BatchDecoder"/>, every prompt with
/// the same options: EOS ids, stop strings, max_new_tokens, and a callback per generated token.
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
        var eos = options.EosTokenIds.ToHashSet();
        var rows = prompts.Select((prompt, i) => new Row(i, prompt, options, eos, decoder, onToken)).ToArray();
        if (options.MaxNewTokens > 0)
            BatchDecoder.Run(model, rows, options.PadTokenId, options.UseKvCache, cancellation.ThrowIfCancellationRequested);
        return rows.Select(r => r.Result()).ToList();
    }

    /// <summary>One prompt's continuation: ends at an EOS id, a stop string or max_new_tokens.</summary>
    private sealed class Row(int index, IReadOnlyList<int> prompt, GenerationOptions options, IReadOnlySet<int> eos, TokenDecoder? decoder,
        Action<GeneratedToken>? onToken) : IDecodedRow
    {
        private readonly List<int> _generated = [];
        private readonly TextTracker? _tracker = decoder is null ? null : new TextTracker(decoder, options.StopStrings);
        private FinishReason? _finish;

        public IReadOnlyList<int> Prompt => prompt;
        public TokenSampling Sampling { get; } = options.Sampling;
        public int MaxNewTokens => options.MaxNewTokens;
        public bool IsFinished => _finish is not null;

        public void Accept(int token)
        {
            _generated.Add(token);
            string? delta = null;
            if (eos.Contains(token)) _finish = FinishReason.Eos;
            else if (_tracker is not null)
            {
                (delta, var stopped) = _tracker.Update(_generated);
                if (stopped) _finish = FinishReason.StopString;
            }
            if (_finish is null && _generated.Count == options.MaxNewTokens) _finish = FinishReason.Length;
            onToken?.Invoke(new GeneratedToken(index, _generated.Count - 1, token, delta));
        }

        public GeneratedSequence Result()
        {
            var reason = _finish ?? FinishReason.Length;
            var text = _tracker is null ? null
                : reason == FinishReason.StopString ? _tracker.Text
                : _tracker.Finish(reason == FinishReason.Eos ? _generated[..^1] : _generated);
            return new GeneratedSequence(index, _generated.ToArray(), text, reason);
        }
    }
}
