using Tuneforge.Engine.Generation;

namespace Tuneforge.Serve.Generation;

/// <summary>How one request continues its prompt; validated by the API before it reaches a backend.</summary>
public sealed record SamplingSettings
{
    /// <summary>Tokens to generate at most.</summary>
    public required int MaxTokens { get; init; }

    /// <summary>0 = greedy (the most likely token); otherwise the softmax temperature.</summary>
    public double Temperature { get; init; }

    /// <summary>Nucleus sampling mass (1 = off).</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Sample from the k most likely tokens (0 = off).</summary>
    public int TopK { get; init; }

    /// <summary>Hugging Face's repetition penalty on tokens already in the sequence (1 = off).</summary>
    public double RepetitionPenalty { get; init; } = 1.0;

    /// <summary>Seed of this request's sampling: the same seed, prompt and model give the same text.</summary>
    public long Seed { get; init; }

    /// <summary>Generation ends when the text reaches one of these; the text is cut before it.</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];

    public bool IsGreedy => Temperature <= 0;

    /// <summary>The engine sampler's settings for this request.</summary>
    public TokenSampling ToTokenSampling() => new(Temperature, TopP, TopK, RepetitionPenalty, Seed);
}
