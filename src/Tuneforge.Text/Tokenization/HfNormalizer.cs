using System.Text;
using Microsoft.ML.Tokenizers;

namespace Tuneforge.Text;

/// <summary>
/// Unicode normalization (NFC for Qwen) applied, as in Hugging Face, only to the text between added tokens.
/// </summary>
internal sealed class HfNormalizer : Normalizer
{
    private readonly AddedTokenMatcher _addedTokens;
    private readonly NormalizationForm[] _forms;

    public HfNormalizer(AddedTokenMatcher addedTokens, NormalizationForm[] forms)
    {
        _addedTokens = addedTokens;
        _forms = forms;
    }

    public override string Normalize(string original)
    {
        if (IsNormalized(original))
        {
            return original;
        }

        if (!_addedTokens.ContainsAny(original))
        {
            return Apply(original);
        }

        var segments = new List<(int Offset, int Length, int Id)>();
        _addedTokens.Split(original, 0, original.Length, segments);
        var builder = new StringBuilder(original.Length);
        foreach ((int offset, int length, int id) in segments)
        {
            string segment = original.Substring(offset, length);
            builder.Append(id >= 0 ? segment : Apply(segment));
        }

        return builder.ToString();
    }

    public override string Normalize(ReadOnlySpan<char> original) => Normalize(original.ToString());

    private bool IsNormalized(string text)
    {
        foreach (NormalizationForm form in _forms)
        {
            if (!text.IsNormalized(form))
            {
                return false;
            }
        }

        return true;
    }

    private string Apply(string text)
    {
        foreach (NormalizationForm form in _forms)
        {
            text = text.Normalize(form);
        }

        return text;
    }
}
