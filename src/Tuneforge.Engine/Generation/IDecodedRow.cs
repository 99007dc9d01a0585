namespace Tuneforge.Engine.Generation;

/// <summary>One sequence of a <see cref="BatchDecoder"/> batch: its prompt, how it picks tokens, and what it does with them.</summary>
public interface IDecodedRow
{
    IReadOnlyList<int> Prompt { get; }

    TokenSampling Sampling { get; }

    /// <summary>Tokens this row may generate at most; it must be finished after that many.</summary>
    int MaxNewTokens { get; }

    /// <summary>True once the row ended (EOS, a stop string, its length, cancellation): it is fed padding from then on.</summary>
    bool IsFinished { get; }

    /// <summary>Takes the row's next token; the row decides whether it ends with it.</summary>
    void Accept(int token);
}
