namespace Tuneforge.Text;

/// <summary>The chat templates by name, and detection of a tokenizer's template.</summary>
/// <remarks>
/// What <c>model.chat_template</c> chooses (<see cref="Resolve"/>): <c>tokenizer</c> is the checkpoint's own Jinja
/// template (<see cref="JinjaChatTemplate"/>); a name is that C# template; <c>auto</c> is the tokenizer's Jinja template
/// when tokenizer_config.json has one, else the named template its vocabulary shows (<see cref="Detect"/>).
/// </remarks>
public static class ChatTemplates
{
    /// <summary>The choice that renders the tokenizer's own Jinja template.</summary>
    public const string Tokenizer = "tokenizer";

    /// <summary>The choice that takes the tokenizer's template when it has one, else detection.</summary>
    public const string Auto = "auto";

    private static readonly IChatTemplate ChatMl = new ChatMlTemplate();

    private static readonly Dictionary<string, IChatTemplate> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["deepseek-r1"] = new DeepSeekR1Template(),
        ["chatml"] = ChatMl,
        ["qwen"] = ChatMl,
        ["llama3"] = new Llama3Template(),
    };

    /// <summary>The names <see cref="Get"/> accepts ("qwen" is another name for "chatml").</summary>
    public static IReadOnlyList<string> Names { get; } = ["deepseek-r1", "chatml", "qwen", "llama3"];

    /// <summary>The template of that name (case-insensitive).</summary>
    /// <exception cref="ChatTemplateException">No template has that name.</exception>
    public static IChatTemplate Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (ByName.TryGetValue(name.Trim(), out IChatTemplate? template))
        {
            return template;
        }

        throw new ChatTemplateException($"No chat template is named '{name}'. Known templates: {string.Join(", ", Names)}.");
    }

    /// <summary>
    /// The template <c>model.chat_template</c> names: <c>tokenizer</c>, <c>auto</c> or a named template; kwargs go to a
    /// tokenizer template only.
    /// </summary>
    /// <exception cref="ChatTemplateException">The name is unknown, the tokenizer has no template for <c>tokenizer</c>, kwargs were
    /// given for a named template, or the tokenizer's template uses something the renderer lacks.</exception>
    public static IChatTemplate Resolve(string choice, HfTokenizer tokenizer, ChatTemplateKwargs? kwargs = null)
    {
        ArgumentNullException.ThrowIfNull(choice);
        ArgumentNullException.ThrowIfNull(tokenizer);
        string name = choice.Trim();
        bool useTokenizer = name.Equals(Tokenizer, StringComparison.OrdinalIgnoreCase)
            || (name.Equals(Auto, StringComparison.OrdinalIgnoreCase) && tokenizer.ChatTemplateJinja is not null);
        if (useTokenizer)
        {
            return JinjaChatTemplate.FromTokenizer(tokenizer, kwargs);
        }

        if (kwargs is { Values.Count: > 0 })
        {
            throw new ChatTemplateException(
                $"chat_template_kwargs ({string.Join(", ", kwargs.Values.Select(v => v.Key))}) are variables of a tokenizer's Jinja " +
                $"template, but the chat template is '{name}'{(name.Equals(Auto, StringComparison.OrdinalIgnoreCase) ? $" and {tokenizer.Source} has none" : "")}. " +
                "Remove them, or use model.chat_template: tokenizer.");
        }

        return name.Equals(Auto, StringComparison.OrdinalIgnoreCase) ? Detect(tokenizer) : Get(name);
    }

    /// <summary>
    /// The named template a tokenizer's model was trained with: the one whose markers its Jinja chat_template
    /// contains, else the one whose control tokens its vocabulary has.
    /// </summary>
    /// <exception cref="ChatTemplateException">Neither tells; name the template instead.</exception>
    public static IChatTemplate Detect(HfTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return TryDetect(tokenizer) ?? throw new ChatTemplateException(
            $"Cannot tell the chat template of the tokenizer in {tokenizer.Source}: its tokenizer_config.json has no " +
            $"chat_template that Tuneforge recognizes and its vocabulary has none of the template tokens. " +
            $"Name one of: {string.Join(", ", Names)}.");
    }

    /// <summary>The detected template, or null.</summary>
    public static IChatTemplate? TryDetect(HfTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return TryDetect(tokenizer.ChatTemplateJinja, marker => tokenizer.TokenToId(marker) is not null);
    }

    /// <summary>
    /// The one detection rule, for any vocabulary (a tokenizer.json, a GGUF file): the marker each template writes before
    /// the assistant's turn, looked for in the Jinja <paramref name="jinja"/> first, then among the control tokens.
    /// </summary>
    /// <param name="isControlToken">Whether the vocabulary has this text as one token.</param>
    public static IChatTemplate? TryDetect(string? jinja, Func<string, bool> isControlToken)
    {
        // R1-distill-Qwen tokenizers also carry <|im_start|>, so the DeepSeek markers are looked for first.
        (string Marker, string Name)[] signs =
        [
            (DeepSeekR1Template.AssistantMarker, "deepseek-r1"),
            (ChatMlTemplate.ImStart, "chatml"),
            (Llama3Template.StartHeader, "llama3"),
        ];
        if (jinja is not null)
        {
            foreach ((string marker, string name) in signs)
            {
                if (jinja.Contains(marker, StringComparison.Ordinal)) return ByName[name];
            }
        }
        foreach ((string marker, string name) in signs)
        {
            if (isControlToken(marker)) return ByName[name];
        }
        return null;
    }
}
