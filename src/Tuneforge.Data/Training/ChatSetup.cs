using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Data.Training;

/// <summary>The chat template and render options a model spec asks for: training, evaluation and serving
/// must render prompts the same way.</summary>
public sealed record ChatSetup(IChatTemplate Template, ChatRenderOptions Options, string? SystemPrompt)
{
    public static ChatSetup From(ModelSpec spec, HfTokenizer tokenizer)
    {
        var template = spec.ChatTemplate == "auto" ? ChatTemplates.Detect(tokenizer) : ChatTemplates.Get(spec.ChatTemplate);
        var options = template.Name == "deepseek-r1"
            ? new ChatRenderOptions
            {
                WhenNoReasoning = spec.AnswerWithoutReasoning == ThinkPolicy.EmptyThink ? MissingReasoning.EmptyThinkBlock : MissingReasoning.NoThinkBlock,
            }
            : new ChatRenderOptions();
        return new ChatSetup(template, options, spec.SystemPrompt);
    }

    /// <summary>The messages with the configured system prompt first, unless they bring their own.</summary>
    public IReadOnlyList<ChatMessage> WithSystemPrompt(IReadOnlyList<ChatMessage> messages) =>
        string.IsNullOrEmpty(SystemPrompt) || messages.Any(m => m.Role == ChatRoles.System)
            ? messages
            : [ChatMessage.System(SystemPrompt), .. messages];
}
