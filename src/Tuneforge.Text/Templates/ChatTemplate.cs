namespace Tuneforge.Text;

/// <summary>
/// What every template shares: checking conversations, resolving options, the assistant turn with its reasoning,
/// and tokenizing prompt and trained runs separately so the mask follows positions.
/// </summary>
internal abstract class ChatTemplate : IChatTemplate
{
    public abstract string Name { get; }

    public abstract IReadOnlyList<string> StopStrings { get; }

    /// <summary>Control tokens the rendering writes: each must be a single token of the tokenizer.</summary>
    protected abstract IReadOnlyList<string> WrittenControlTokens { get; }

    /// <summary>The token that starts every rendering, if the format has one (it must appear exactly once).</summary>
    protected virtual string? BeginToken => null;

    protected virtual MissingReasoning DefaultWhenNoReasoning => MissingReasoning.NoThinkBlock;

    protected virtual bool OpensThinkByDefault => false;

    /// <summary>The token that ends each turn the template writes after an answer.</summary>
    protected abstract string TurnEnd { get; }

    /// <summary>Whether content is written trimmed (Llama 3 trims it, as Meta's template does).</summary>
    protected virtual bool TrimsContent => false;

    /// <summary>
    /// The conversation as Jinja, <see cref="NamedTemplateJinja.AssistantTurn"/> marking where an assistant turn's text goes.
    /// </summary>
    protected abstract string JinjaBody { get; }

    /// <summary>This template, resolved with <paramref name="options"/>, as a Jinja chat template that renders the same text.</summary>
    public string Jinja(ChatRenderOptions? options = null) =>
        NamedTemplateJinja.Compose(Name, TurnEnd, TrimsContent, Resolve(options, []), JinjaBody);

    public TokenizedExample RenderTraining(IReadOnlyList<ChatMessage> messages, HfTokenizer tokenizer, ChatRenderOptions? options = null)
    {
        IReadOnlyList<TemplateSegment> segments = RenderSegments(messages, options);
        CheckTokenizer(tokenizer);
        TokenizedExample example = TokenizedExample.FromSegments(segments, tokenizer);
        CheckBegin(example.InputIds, tokenizer);
        return example;
    }

    public int[] RenderPrompt(IReadOnlyList<ChatMessage> messages, HfTokenizer tokenizer, ChatRenderOptions? options = null)
    {
        string text = RenderPromptText(messages, options);
        CheckTokenizer(tokenizer);
        int[] ids = tokenizer.Encode(text);
        CheckBegin(ids, tokenizer);
        return ids;
    }

    public IReadOnlyList<TemplateSegment> RenderSegments(IReadOnlyList<ChatMessage> messages, ChatRenderOptions? options = null)
    {
        Check(messages, forTraining: true);
        var writer = new SegmentWriter();
        Write(writer, messages, Resolve(options, messages), forGeneration: false);
        return writer.Finish();
    }

    public string RenderText(IReadOnlyList<ChatMessage> messages, ChatRenderOptions? options = null) =>
        string.Concat(RenderSegments(messages, options).Select(s => s.Text));

    public string RenderPromptText(IReadOnlyList<ChatMessage> messages, ChatRenderOptions? options = null)
    {
        Check(messages, forTraining: false);
        var writer = new SegmentWriter();
        Write(writer, messages, Resolve(options, messages), forGeneration: true);
        return string.Concat(writer.Finish().Select(s => s.Text));
    }

    public IReadOnlyList<int> StopTokenIds(HfTokenizer tokenizer) => TokenizedExample.StopTokenIds(StopStrings, tokenizer);

    public ReasoningSplit SplitReasoning(string generated, ChatRenderOptions? options = null) =>
        ReasoningText.Split(generated, Resolve(options, []).OpenThinkInPrompt);

    /// <summary>Writes the conversation; with <paramref name="forGeneration"/>, history only and then the generation prompt.</summary>
    protected abstract void Write(SegmentWriter writer, IReadOnlyList<ChatMessage> messages, RenderChoices choices, bool forGeneration);

    /// <summary>Content as the format writes it.</summary>
    protected string Content(string text) => TrimsContent ? text.Trim() : text;

    /// <summary>
    /// An assistant turn after its header: in training the response (reasoning kept, or as configured when absent) and
    /// its end token; in a generation prompt only the earlier answer, its reasoning dropped as the upstream templates do.
    /// </summary>
    protected void WriteAssistant(SegmentWriter writer, int index, ChatMessage message, RenderChoices choices, bool forGeneration, string endToken)
    {
        (string? reasoning, string answer) = ReasoningText.Of(message);
        bool asHistory = forGeneration || (choices.EarlierTurnsAsHistory && index != choices.LastAssistantIndex);
        if (asHistory)
        {
            writer.Prompt(Content(answer) + endToken);
            return;
        }

        bool block = reasoning is not null || choices.WhenNoReasoning == MissingReasoning.EmptyThinkBlock;
        string think = block ? ReasoningText.Block(reasoning) : "";
        string body = (block ? Content(answer.TrimStart('\n')) : Content(answer)) + endToken;
        string opening = ReasoningText.Open + "\n";
        if (choices.OpenThinkInPrompt)
        {
            writer.Prompt(opening);
            think = think[opening.Length..];
        }

        bool trained = choices.TrainAllAssistantTurns || index == choices.LastAssistantIndex;
        bool thinkMasked = choices.ThinkBlock == ThinkBlockLoss.Masked
            || (choices.ThinkBlock == ThinkBlockLoss.MaskedWhenEmpty && string.IsNullOrWhiteSpace(reasoning));
        if (trained && !thinkMasked)
        {
            writer.Trained(think);
        }
        else
        {
            writer.Prompt(think);
        }

        if (trained)
        {
            writer.Trained(body);
        }
        else
        {
            writer.Prompt(body);
        }
    }

    /// <summary>The generation prompt's tail after the assistant header: an open think block when configured.</summary>
    protected static string ThinkOpening(RenderChoices choices) => choices.OpenThinkInPrompt ? ReasoningText.Open + "\n" : "";

    private RenderChoices Resolve(ChatRenderOptions? options, IReadOnlyList<ChatMessage> messages)
    {
        if (options?.Tools is { Count: > 0 })
        {
            throw new ChatTemplateException(
                $"{Name}: the named templates do not render tools. Use model.chat_template: tokenizer (the checkpoint's own template).");
        }

        MissingReasoning whenNoReasoning = options?.WhenNoReasoning ?? DefaultWhenNoReasoning;
        bool open = options?.OpenThinkInPrompt ?? (OpensThinkByDefault && whenNoReasoning == MissingReasoning.EmptyThinkBlock);
        if (open && whenNoReasoning == MissingReasoning.NoThinkBlock)
        {
            throw new ChatTemplateException(
                $"{Name}: OpenThinkInPrompt=true needs WhenNoReasoning=EmptyThinkBlock: once the prompt opens <think>, " +
                "every answer must close a think block. Set one of the two differently.");
        }

        int lastAssistant = -1;
        for (int i = 0; i < messages.Count; i++)
        {
            if (messages[i].Role == ChatRoles.Assistant)
            {
                lastAssistant = i;
            }
        }

        return new RenderChoices(whenNoReasoning, open, options?.TrainAllAssistantTurns ?? true, lastAssistant,
            options?.ThinkBlock ?? ThinkBlockLoss.Trained, options?.EarlierTurnsAsHistory ?? false);
    }

    private void Check(IReadOnlyList<ChatMessage> messages, bool forTraining)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            throw new ChatTemplateException($"{Name}: the conversation has no messages.");
        }

        string[] forbidden = WrittenControlTokens.Concat(StopStrings).Distinct().ToArray();
        for (int i = 0; i < messages.Count; i++)
        {
            ChatMessage message = messages[i] ?? throw new ChatTemplateException($"{Name}: message {i} is null.");
            if (!ChatRoles.All.Contains(message.Role))
            {
                throw new ChatTemplateException(
                    $"{Name}: message {i} has role '{message.Role}'; roles are {string.Join(", ", ChatRoles.All)}.");
            }

            if (message.Content is null)
            {
                throw new ChatTemplateException($"{Name}: message {i} ({message.Role}) has no content.");
            }

            foreach (string token in forbidden)
            {
                if (message.Content.Contains(token, StringComparison.Ordinal)
                    || (message.Reasoning?.Contains(token, StringComparison.Ordinal) ?? false))
                {
                    throw new ChatTemplateException(
                        $"{Name}: message {i} ({message.Role}) contains '{token}', a control token of this template. " +
                        "It would end or open a turn inside the text and break the loss mask; remove it from the data.");
                }
            }
        }

        if (messages.FirstOrDefault(m => m.ToolCalls is { Count: > 0 }) is { } caller)
        {
            throw new ChatTemplateException(
                $"{Name}: message {messages.ToList().IndexOf(caller)} has tool calls, which the named templates do not render. " +
                "Use model.chat_template: tokenizer (the checkpoint's own template) for conversations with tools.");
        }

        if (forTraining && !messages.Any(m => m.Role == ChatRoles.Assistant))
        {
            throw new ChatTemplateException($"{Name}: the conversation has no assistant message, so nothing to train on.");
        }
    }

    private void CheckTokenizer(HfTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        foreach (string token in WrittenControlTokens)
        {
            if (tokenizer.TokenToId(token) is null)
            {
                throw new ChatTemplateException(
                    $"{Name}: the tokenizer in {tokenizer.Source} has no token '{token}', which this template writes. " +
                    "Choose the template that matches the model (deepseek-r1, chatml or llama3), or let it be detected.");
            }
        }
    }

    private void CheckBegin(IReadOnlyList<int> ids, HfTokenizer tokenizer)
    {
        if (BeginToken is null)
        {
            return;
        }

        int begin = tokenizer.TokenToId(BeginToken)!.Value;
        int count = ids.Count(id => id == begin);
        if (count != 1 || ids[0] != begin)
        {
            throw new InvalidOperationException($"{Name}: rendered {count} '{BeginToken}' tokens; exactly one, first, was expected.");
        }
    }
}

/// <summary>Options resolved against a template's defaults, plus the index of the last assistant message.</summary>
internal sealed record RenderChoices(
    MissingReasoning WhenNoReasoning,
    bool OpenThinkInPrompt,
    bool TrainAllAssistantTurns,
    int LastAssistantIndex,
    ThinkBlockLoss ThinkBlock,
    bool EarlierTurnsAsHistory);
