using Tuneforge.Pipeline.Model;
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
        return new ChatSetup(template, RenderOptions(spec.AnswerWithoutReasoning, template), spec.SystemPrompt);
    }

    /// <summary>The one translation of a think policy into render options; only deepseek-r1 writes an empty block.</summary>
    /// <exception cref="ChatTemplateException">The policy needs a named template and the tokenizer's own is in use.</exception>
    public static ChatRenderOptions RenderOptions(ThinkPolicy policy, IChatTemplate template)
    {
        bool r1 = template.Name == "deepseek-r1";
        if (template.Name == "tokenizer")
        {
            return policy is ThinkPolicy.EmptyThink or ThinkPolicy.None
                ? new ChatRenderOptions()
                : throw new ChatTemplateException(
                    $"model.answer_without_reasoning: {SpecModel.EnumName(policy)} needs a named chat template; the tokenizer's own template " +
                    "decides the think block itself. Set model.chat_template to deepseek-r1, chatml or llama3, or use empty_think.");
        }

        return policy switch
        {
            ThinkPolicy.EmptyThink => r1 ? new ChatRenderOptions { WhenNoReasoning = MissingReasoning.EmptyThinkBlock } : new ChatRenderOptions(),
            ThinkPolicy.None => r1 ? new ChatRenderOptions { WhenNoReasoning = MissingReasoning.NoThinkBlock } : new ChatRenderOptions(),
            ThinkPolicy.MaskThink => new ChatRenderOptions { ThinkBlock = ThinkBlockLoss.Masked },
            ThinkPolicy.Traces => new ChatRenderOptions { ThinkBlock = ThinkBlockLoss.MaskedWhenEmpty, EarlierTurnsAsHistory = true },
            _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
        };
    }

    /// <summary>The messages with the configured system prompt first, unless they bring their own.</summary>
    public IReadOnlyList<ChatMessage> WithSystemPrompt(IReadOnlyList<ChatMessage> messages) =>
        string.IsNullOrEmpty(SystemPrompt) || messages.Any(m => m.Role == ChatRoles.System)
            ? messages
            : [ChatMessage.System(SystemPrompt), .. messages];
}
