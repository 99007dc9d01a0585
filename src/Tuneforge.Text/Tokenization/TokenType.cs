namespace Tuneforge.Text;

/// <summary>
/// The kind of a token id, numbered as GGUF's <c>tokenizer.ggml.token_type</c> expects.
/// </summary>
public enum TokenType
{
    /// <summary>A BPE vocabulary entry.</summary>
    Normal = 1,

    /// <summary>An added token marked special (BOS, EOS, role markers): a control token.</summary>
    Control = 3,

    /// <summary>An added token that is not special (e.g. <c>&lt;think&gt;</c> in Qwen3).</summary>
    UserDefined = 4,

    /// <summary>An id below the vocabulary size that no token uses.</summary>
    Unused = 5,
}
