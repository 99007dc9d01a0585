namespace Tuneforge.Text;

/// <summary>
/// A token from the <c>added_tokens</c> list of tokenizer.json: matched whole in text before any other splitting.
/// </summary>
/// <param name="Id">The token id.</param>
/// <param name="Content">The exact text of the token, e.g. <c>&lt;｜User｜&gt;</c>.</param>
/// <param name="Special">True for control tokens (skipped by <c>Decode(..., skipSpecialTokens: true)</c>).</param>
/// <param name="Normalized">Whether Hugging Face matches it after normalization (kept for export; matching here is on the raw text).</param>
public sealed record AddedToken(int Id, string Content, bool Special, bool Normalized);
