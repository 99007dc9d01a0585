namespace Tuneforge.Engine.Generation;

/// <summary>How one sequence chooses its next token (<see cref="TokenSampler"/>).</summary>
/// <param name="Temperature">0 = greedy (the most likely token); otherwise the softmax temperature.</param>
/// <param name="TopP">Nucleus sampling mass (1 = off).</param>
/// <param name="TopK">Sample from the k most likely tokens (0 = off).</param>
/// <param name="RepetitionPenalty">Hugging Face's CTRL-style penalty on tokens already in the sequence (1 = off).</param>
/// <param name="Seed">Seed of this sequence's own generator: the same seed, prompt and model give the same tokens.</param>
public sealed record TokenSampling(double Temperature = 0, double TopP = 1.0, int TopK = 0, double RepetitionPenalty = 1.0, long Seed = 0)
{
    public static readonly TokenSampling Greedy = new();

    public bool IsGreedy => Temperature <= 0;
}
