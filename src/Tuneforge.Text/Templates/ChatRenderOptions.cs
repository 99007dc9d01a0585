namespace Tuneforge.Text;

/// <summary>What an assistant answer without reasoning trains as.</summary>
public enum MissingReasoning
{
    /// <summary>The answer alone, straight after the assistant marker.</summary>
    NoThinkBlock,

    /// <summary>An empty block first: <c>&lt;think&gt;\n\n&lt;/think&gt;\n\n</c> then the answer (R1's and Qwen3's no-thinking form).</summary>
    EmptyThinkBlock,
}

/// <summary>Whether a think block written before an answer is trained or only read (masked from the loss).</summary>
public enum ThinkBlockLoss
{
    /// <summary>The block is trained with the answer.</summary>
    Trained,

    /// <summary>An empty block (no reasoning) is masked; a block with reasoning is trained.</summary>
    MaskedWhenEmpty,

    /// <summary>Every block, empty or with reasoning, is in the input but masked; the answer after it is trained.</summary>
    Masked,
}

/// <summary>Choices for rendering a conversation; null properties take the template's default.</summary>
public sealed record ChatRenderOptions
{
    /// <summary>
    /// What an answer without reasoning trains as. Default: <see cref="MissingReasoning.EmptyThinkBlock"/> for
    /// deepseek-r1, <see cref="MissingReasoning.NoThinkBlock"/> for chatml and llama3. Answers with reasoning keep it.
    /// </summary>
    public MissingReasoning? WhenNoReasoning { get; init; }

    /// <summary>
    /// Whether the generation prompt ends with an open <c>&lt;think&gt;\n</c> (R1's current template does). In training
    /// that opening is then part of the masked prompt of every assistant turn, so training and generation tokenize alike.
    /// Default: true for deepseek-r1 unless <see cref="WhenNoReasoning"/> is NoThinkBlock; false otherwise.
    /// </summary>
    public bool? OpenThinkInPrompt { get; init; }

    /// <summary>Whether the think block before an answer is trained (the default) or masked from the loss.</summary>
    public ThinkBlockLoss ThinkBlock { get; init; } = ThinkBlockLoss.Trained;

    /// <summary>
    /// Write earlier assistant turns as a generation prompt shows them — answer only, reasoning removed, not trained —
    /// as R1's template does in multi-turn chats; only the last assistant turn is trained.
    /// </summary>
    public bool EarlierTurnsAsHistory { get; init; }

    /// <summary>Train every assistant turn (true, the default) or only the last one.</summary>
    public bool TrainAllAssistantTurns { get; init; } = true;

    /// <summary>
    /// The tools the conversation may call (JSON schemas, as transformers' <c>tools</c>): a tokenizer's template renders
    /// them into the prompt; the named templates cannot and refuse them.
    /// </summary>
    public IReadOnlyList<System.Text.Json.Nodes.JsonObject>? Tools { get; init; }
}
