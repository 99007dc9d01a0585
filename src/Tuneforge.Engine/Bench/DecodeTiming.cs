namespace Tuneforge.Engine.Bench;

/// <summary>One greedy run: <see cref="Batch"/> sequences prefilled together, then <see cref="Steps"/> decode steps of one token each.</summary>
/// <param name="Generated">Each sequence's greedy tokens (the prefill's and every step's): what two systems on the same weights must agree on.</param>
public sealed record DecodeTiming(int Batch, int PromptTokens, int Steps, double PrefillSeconds, double DecodeSeconds, IReadOnlyList<int[]> Generated)
{
    /// <summary>Generated tokens per second over the decode steps, all sequences together.</summary>
    public double TokensPerSecond => Batch * Steps / DecodeSeconds;

    public double MsPerStep => DecodeSeconds * 1000 / Steps;

    /// <summary>Prompts of random ids shared by every system measured (one per sequence, the same length).</summary>
    public static IReadOnlyList<int[]> Prompts(int batch, int length, int vocabulary, int seed)
    {
        var random = new Random(seed);
        // Ids of ordinary tokens only: the low end of every BPE vocabulary, never its added or special tokens.
        var ceiling = Math.Min(vocabulary, 32_000);
        return Enumerable.Range(0, batch).Select(_ => Enumerable.Range(0, length).Select(_ => random.Next(256, ceiling)).ToArray()).ToList();
    }
}
