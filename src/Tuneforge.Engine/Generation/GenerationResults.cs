namespace Tuneforge.Engine.Generation;

/// <summary>Why a sequence ended.</summary>
public enum FinishReason
{
    /// <summary>An end-of-sequence id was generated.</summary>
    Eos,
    /// <summary>The text reached a stop string.</summary>
    StopString,
    /// <summary>max_new_tokens was reached.</summary>
    Length,
}

/// <summary>One prompt's continuation.</summary>
/// <param name="Tokens">Generated ids, including a final EOS id when that ended it.</param>
/// <param name="Text">Decoded continuation without the EOS token and cut before a stop string; null without a decoder.</param>
public sealed record GeneratedSequence(int Index, int[] Tokens, string? Text, FinishReason FinishReason);

/// <summary>One new token of one sequence, for streaming.</summary>
/// <param name="TextDelta">The text this token completes (may be empty while a multi-byte character is incomplete).</param>
public sealed record GeneratedToken(int SequenceIndex, int Step, int TokenId, string? TextDelta);

/// <summary>Turns generated ids into text (the tokenizer's decode).</summary>
public delegate string TokenDecoder(IReadOnlyList<int> ids);
