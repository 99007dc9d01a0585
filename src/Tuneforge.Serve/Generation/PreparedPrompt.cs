namespace Tuneforge.Serve.Generation;

/// <summary>A conversation rendered with the chat template and tokenized by the backend's own tokenizer.</summary>
/// <param name="Ids">The prompt's token ids, ending with the generation prompt.</param>
/// <param name="ThinkOpened">The prompt ends with an open <c>&lt;think&gt;</c> (DeepSeek-R1): the first text is reasoning.</param>
public sealed record PreparedPrompt(int[] Ids, bool ThinkOpened);
