namespace Tuneforge.Data.Training;

/// <summary>
/// A rendered, possibly truncated example. <paramref name="LossMask"/>[i] is true when token i is trained (part of an
/// assistant response or its end token), so the hidden state at i − 1 carries the loss for it.
/// </summary>
public sealed record EncodedExample(string Id, int[] InputIds, bool[] LossMask, int OriginalLength)
{
    public int Length => InputIds.Length;
    public bool Truncated => OriginalLength > InputIds.Length;

    /// <summary>Tokens the loss counts: trained positions after the first (the first token has nothing before it).</summary>
    public int TrainedTokens
    {
        get
        {
            var count = 0;
            for (var i = 1; i < LossMask.Length; i++) if (LossMask[i]) count++;
            return count;
        }
    }
}
