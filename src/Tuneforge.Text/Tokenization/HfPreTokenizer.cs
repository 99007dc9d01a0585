using Microsoft.ML.Tokenizers;

namespace Tuneforge.Text;

/// <summary>
/// Hugging Face's pre-tokenization for Microsoft.ML.Tokenizers: added tokens are cut out whole first, then each
/// regex step of tokenizer.json's pre_tokenizer splits the remaining text; matches and gaps both become pieces.
/// </summary>
/// <remarks>
/// The built-in CompositePreTokenizer crashes on DeepSeek's three-step sequence and does not keep the gaps,
/// hence this class. Added-token pieces map to their ids through the BpeTokenizer's special-token table.
/// </remarks>
internal sealed class HfPreTokenizer : PreTokenizer
{
    private readonly AddedTokenMatcher _addedTokens;
    private readonly IReadOnlyList<SplitRule> _rules;

    public HfPreTokenizer(AddedTokenMatcher addedTokens, IReadOnlyList<SplitRule> rules)
    {
        _addedTokens = addedTokens;
        _rules = rules;
    }

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => Pieces(text);

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Pieces(text.ToString());

    public List<(int Offset, int Length)> Pieces(string text)
    {
        var segments = new List<(int Offset, int Length, int Id)>();
        _addedTokens.Split(text, 0, text.Length, segments);

        var pieces = new List<(int Offset, int Length)>(text.Length / 3 + 4);
        var current = new List<(int Offset, int Length)>();
        var next = new List<(int Offset, int Length)>();
        foreach ((int offset, int length, int id) in segments)
        {
            if (id >= 0 || _rules.Count == 0)
            {
                pieces.Add((offset, length));
                continue;
            }

            current.Clear();
            current.Add((offset, length));
            foreach (SplitRule rule in _rules)
            {
                next.Clear();
                foreach ((int pieceOffset, int pieceLength) in current)
                {
                    rule.Split(text, pieceOffset, pieceLength, next);
                }

                (current, next) = (next, current);
            }

            pieces.AddRange(current);
        }

        return pieces;
    }
}
