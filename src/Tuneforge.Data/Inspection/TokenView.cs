using Tuneforge.Text;

namespace Tuneforge.Data.Inspection;

/// <summary>One token as Inspect shows it. <paramref name="Text"/> is what it decodes to; a token that ends inside a
/// character (byte-level BPE splits Chinese characters into bytes) has empty text and the next one carries the character.</summary>
/// <param name="Trained">The loss counts at this position.</param>
/// <param name="Special">A control token of the tokenizer (BOS, the template's markers).</param>
/// <param name="BeyondCut">After max_seq_length: cut off, never trained.</param>
public sealed record TokenView(int Id, string Text, bool Trained, bool Special, bool BeyondCut);

/// <summary>A rendered training example token by token.</summary>
public sealed record ExampleView(string Id, string Location, IReadOnlyList<TokenView> Tokens, int MaxSeqLength)
{
    public int Length => Tokens.Count;
    public bool Truncated => Tokens.Count > MaxSeqLength;
    public int TrainedTokens => Tokens.Count(t => t.Trained && !t.BeyondCut);

    /// <summary>Every token of a rendering (the part beyond max_seq_length included), decoded for reading.</summary>
    public static ExampleView Of(string id, string location, TokenizedExample rendered, int maxSeqLength, HfTokenizer tokenizer)
    {
        var tokens = new List<TokenView>(rendered.Length);
        var start = 0;
        for (var i = 0; i < rendered.Length; i++)
        {
            // Decode the tokens since the last complete character; a replacement character at the end means it is still
            // incomplete (a UTF-8 character takes at most four byte tokens).
            var text = tokenizer.Decode(rendered.InputIds[start..(i + 1)]);
            var complete = !text.EndsWith('\uFFFD') || i - start >= 3;
            var tokenId = rendered.InputIds[i];
            tokens.Add(new TokenView(tokenId, complete ? text : "", rendered.LossMask[i], tokenizer.IsSpecial(tokenId), i >= maxSeqLength));
            if (complete) start = i + 1;
        }
        return new ExampleView(id, location, tokens, maxSeqLength);
    }
}
