using Tuneforge.Pipeline.Model;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Data.Training;

/// <summary>The chat template and render options a model spec asks for: training, evaluation and serving
/// must render prompts the same way.</summary>
public sealed record ChatSetup(IChatTemplate Template, ChatRenderOptions Options, string? SystemPrompt)
{
    /// <summary>What <c>model.chat_template</c> (auto | tokenizer | a name) and its kwargs choose for this tokenizer.</summary>
    /// <exception cref="ChatTemplateException">The choice cannot be resolved (unknown name, no tokenizer template, kwargs for a named one).</exception>
    public static ChatSetup From(ModelSpec spec, HfTokenizer tokenizer)
    {
        var template = ChatTemplates.Resolve(spec.ChatTemplate, tokenizer, ChatTemplateKwargs.FromScalars(spec.ChatTemplateKwargs));
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

    /// <summary>The template stored beside trained weights (their chat_template.jinja), or null when they store none.</summary>
    /// <exception cref="ChatTemplateException">The stored template does not parse or uses something the renderer lacks.</exception>
    public static ChatSetup? StoredIn(string weightsFolder, HfTokenizer tokenizer) =>
        ChatTemplateText.Read(weightsFolder) is { } text
            ? new ChatSetup(new JinjaChatTemplate(text, Path.Combine(weightsFolder, ChatTemplateText.FileName), tokenizer.BosToken, tokenizer.EosToken, padToken: tokenizer.PadToken),
                new ChatRenderOptions(), SystemPrompt: null)
            : null;

    /// <summary>The template's Jinja text, as written beside the trained weights (chat_template.jinja, GGUF tokenizer.chat_template).</summary>
    public string TemplateText => ChatTemplateText.Of(Template, Options);

    /// <summary>Where the template comes from, for messages: the tokenizer's template file, or the named template.</summary>
    public string TemplateOrigin => Template is JinjaChatTemplate jinja ? jinja.Origin : $"Tuneforge's '{Template.Name}' template";

    /// <summary>Checks the template stored beside trained weights (chat_template.jinja) against this one; false when the folder stores none.</summary>
    /// <exception cref="ChatTemplateException">They differ: the message names both and where they part.</exception>
    public bool RequireStoredIn(string weightsFolder) =>
        ChatTemplateText.RequireStored(TemplateText, $"{TemplateOrigin} (what the pipeline's model.chat_template resolves to)", weightsFolder);

    /// <summary>The messages with the configured system prompt first, unless they bring their own.</summary>
    public IReadOnlyList<ChatMessage> WithSystemPrompt(IReadOnlyList<ChatMessage> messages) =>
        string.IsNullOrEmpty(SystemPrompt) || messages.Any(m => m.Role == ChatRoles.System)
            ? messages
            : [ChatMessage.System(SystemPrompt), .. messages];
}
