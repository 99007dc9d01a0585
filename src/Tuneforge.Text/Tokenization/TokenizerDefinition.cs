using System.Text;

namespace Tuneforge.Text;

/// <summary>What tokenizer.json says, checked and in our terms.</summary>
internal sealed record TokenizerDefinition(
    Dictionary<string, int> Vocab,
    List<(string Left, string Right)> Merges,
    List<AddedToken> AddedTokens,
    NormalizationForm[] Normalization,
    List<SplitRule> SplitRules,
    bool IgnoreMerges);
