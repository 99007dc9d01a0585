namespace Tuneforge.Text;

/// <summary>
/// A model family's conversation format: renders conversations for training (ids + loss mask) and for generation.
/// </summary>
public interface IChatTemplate
{
    /// <summary>The template's name: "deepseek-r1", "chatml", "llama3", or "tokenizer" for the checkpoint's own Jinja template.</summary>
    string Name { get; }

    /// <summary>Strings that end the assistant's turn in generated text.</summary>
    IReadOnlyList<string> StopStrings { get; }

    /// <summary>
    /// Renders a conversation for training. Prompt tokens are masked; each assistant response and its end-of-turn
    /// token are trained. The mask follows positions, never token ids.
    /// </summary>
    TokenizedExample RenderTraining(IReadOnlyList<ChatMessage> messages, HfTokenizer tokenizer, ChatRenderOptions? options = null);

    /// <summary>Renders a conversation ending with the generation prompt (for deepseek-r1: <c>&lt;｜Assistant｜&gt;&lt;think&gt;\n</c>).</summary>
    int[] RenderPrompt(IReadOnlyList<ChatMessage> messages, HfTokenizer tokenizer, ChatRenderOptions? options = null);

    /// <summary>The training rendering as text runs, each prompt or trained (what <see cref="RenderTraining"/> tokenizes).</summary>
    IReadOnlyList<TemplateSegment> RenderSegments(IReadOnlyList<ChatMessage> messages, ChatRenderOptions? options = null);

    /// <summary>The training rendering as one string, for reading and tests.</summary>
    string RenderText(IReadOnlyList<ChatMessage> messages, ChatRenderOptions? options = null);

    /// <summary>The generation prompt as one string, for reading and tests.</summary>
    string RenderPromptText(IReadOnlyList<ChatMessage> messages, ChatRenderOptions? options = null);

    /// <summary>Ids that end the assistant's turn in this tokenizer (the stop strings that are tokens, and EOS).</summary>
    IReadOnlyList<int> StopTokenIds(HfTokenizer tokenizer);

    /// <summary>Cuts generated text into reasoning and answer; with a prompt that opened <c>&lt;think&gt;</c>, text before <c>&lt;/think&gt;</c> is reasoning.</summary>
    ReasoningSplit SplitReasoning(string generated, ChatRenderOptions? options = null);
}
