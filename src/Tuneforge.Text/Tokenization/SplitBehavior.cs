namespace Tuneforge.Text;

/// <summary>What a Hugging Face <c>Split</c> pre-tokenizer does with the pieces its pattern matches.</summary>
internal enum SplitBehavior
{
    Removed,
    Isolated,
    MergedWithPrevious,
    MergedWithNext,
    Contiguous,
}
