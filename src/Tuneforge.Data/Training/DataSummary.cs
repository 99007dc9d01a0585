namespace Tuneforge.Data.Training;

/// <summary>What encoding a split did: examples kept, tokens, and what <c>max_seq_length</c> cut.</summary>
/// <param name="Dropped">Examples whose whole response fell beyond max_seq_length, so nothing was left to train.</param>
public sealed record DataSummary(int Records, int Examples, long Tokens, long TrainedTokens, int Truncated, long TruncatedTokens, int Dropped, int LongestTokens)
{
    /// <summary>Records labelled undesirable (KTO's label false): preference data that SFT leaves out.</summary>
    public int Undesirable { get; init; }

    /// <summary>A split with no records (no val file).</summary>
    public static DataSummary Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0);
}
