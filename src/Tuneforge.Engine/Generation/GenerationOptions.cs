namespace Tuneforge.Engine.Generation;

/// <summary>How to continue a prompt. Defaults are greedy decoding of up to 128 tokens.</summary>
public sealed record GenerationOptions
{
    public int MaxNewTokens { get; init; } = 128;
    /// <summary>False: greedy (argmax). True: sample with the settings below.</summary>
    public bool DoSample { get; init; }
    public double Temperature { get; init; } = 1.0;
    /// <summary>Nucleus sampling: keep the smallest set of tokens whose probability reaches this (1 = off).</summary>
    public double TopP { get; init; } = 1.0;
    /// <summary>Keep only the k most likely tokens (0 = off).</summary>
    public int TopK { get; init; }
    /// <summary>HF's CTRL-style penalty on tokens already in the sequence (1 = off).</summary>
    public double RepetitionPenalty { get; init; } = 1.0;
    /// <summary>Seed of the sampling generator: the same seed, prompts and model give the same output.</summary>
    public long Seed { get; init; }
    /// <summary>Generation stops for a sequence at any of these ids (kept in its tokens, left out of its text).</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    /// <summary>Generation stops when the text contains one of these; the text is cut before it.</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];
    /// <summary>Fills the left of shorter prompts in a batch (never attended to).</summary>
    public int PadTokenId { get; init; }
    /// <summary>Reuse past keys and values (flat per-token cost). False recomputes the whole sequence every step.</summary>
    public bool UseKvCache { get; init; } = true;

    /// <summary>Each sequence's token choice: greedy unless <see cref="DoSample"/>.</summary>
    public TokenSampling Sampling => new(DoSample ? Temperature : 0, TopP, TopK, RepetitionPenalty, Seed);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (MaxNewTokens < 0) throw new ArgumentException($"max_new_tokens must be ≥ 0, got {MaxNewTokens}");
        if (DoSample && !(Temperature > 0)) throw new ArgumentException($"temperature must be > 0 when sampling, got {Temperature}");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentException($"top_p must be in (0, 1], got {TopP}");
        if (TopK < 0) throw new ArgumentException($"top_k must be ≥ 0, got {TopK}");
        if (!(RepetitionPenalty > 0)) throw new ArgumentException($"repetition_penalty must be > 0, got {RepetitionPenalty}");
        if (StopStrings.Any(string.IsNullOrEmpty)) throw new ArgumentException("stop strings must not be empty");
    }
}
