using System.Text;
using Tuneforge.Metrics.Text;

namespace Tuneforge.Metrics.Rouge;

/// <summary>How text becomes ROUGE tokens.</summary>
/// <param name="UseStemmer">Porter-stem tokens longer than 3 characters, as rouge_score's <c>use_stemmer=True</c>.</param>
/// <param name="CjkCharactersAsTokens">Each CJK letter is a token of its own (see <see cref="CjkCharacters"/>).
/// Off, the tokenizer is exactly rouge_score's, which drops every non-ASCII character and scores Chinese 0.</param>
public sealed record RougeTokenizerOptions(bool UseStemmer = false, bool CjkCharactersAsTokens = true);

/// <summary>
/// rouge_score's tokenizer: lower-case, every run of characters outside [a-z0-9] becomes a separator,
/// optional Porter stemming of tokens longer than 3 characters. Extended (by default) so that each CJK
/// letter is one token, instead of being dropped as non-ASCII; on text without CJK the two agree exactly.
/// </summary>
public sealed class RougeTokenizer(RougeTokenizerOptions options)
{
    /// <summary>The default: no stemming, CJK letters as tokens.</summary>
    public static RougeTokenizer Default { get; } = new(new RougeTokenizerOptions());

    public RougeTokenizerOptions Options { get; } = options;

    /// <summary>Tokenizes one text.</summary>
    public List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var word = new StringBuilder();
        foreach (var rune in PythonText.Lower(text).EnumerateRunes())
        {
            int value = rune.Value;
            if (value is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                word.Append((char)value);
                continue;
            }
            FlushWord(word, tokens);
            if (Options.CjkCharactersAsTokens && CjkCharacters.IsCjkLetter(rune))
                tokens.Add(rune.ToString());
        }
        FlushWord(word, tokens);
        return tokens;
    }

    private void FlushWord(StringBuilder word, List<string> tokens)
    {
        if (word.Length == 0) return;
        var token = word.ToString();
        word.Clear();
        if (Options.UseStemmer && token.Length > 3) token = PorterStemmer.Stem(token);
        // rouge_score keeps only tokens that are still [a-z0-9]+ after stemming; the stemmer never empties a word longer than 3.
        if (token.Length > 0) tokens.Add(token);
    }
}
