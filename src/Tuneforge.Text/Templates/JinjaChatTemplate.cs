using Tuneforge.Text.Jinja;

namespace Tuneforge.Text;

/// <summary>
/// The checkpoint's own chat template: the Jinja <c>chat_template</c> of tokenizer_config.json, rendered as transformers
/// renders it (Python Jinja2 semantics), with loss masks found by prefix rendering or <c>{% generation %}</c> blocks.
/// </summary>
/// <remarks>
/// Variables: <c>messages</c> (role, content, reasoning_content, tool_calls, tool_call_id, name), <c>add_generation_prompt</c>,
/// <c>tools</c> (None when the conversation has none), <c>bos_token</c>/<c>eos_token</c>/<c>pad_token</c> from
/// tokenizer_config.json, then <see cref="ChatTemplateKwargs"/>. An assistant turn that only calls tools is passed with
/// content "" unless the template then leaves its calls out, as DeepSeek's does: then with content None (OpenAI's form).
/// The whole template is parsed and checked when constructed: an unsupported construct fails there.
/// </remarks>
public sealed class JinjaChatTemplate : IChatTemplate
{
    private const string ProbeAnswer = "Tuneforge-probe-answer";

    private readonly JinjaTemplate _template;
    private readonly JinjaTemplate? _toolUse;
    private readonly List<KeyValuePair<string, object?>> _tokens = [];
    private readonly ChatTemplateKwargs _kwargs;
    private readonly string[] _forbidden;

    /// <summary>Parses and checks a template.</summary>
    /// <param name="source">The Jinja text.</param>
    /// <param name="origin">Where it came from, for errors (e.g. "…/tokenizer_config.json chat_template").</param>
    /// <param name="bosToken">tokenizer_config.json's bos_token, passed as <c>bos_token</c>.</param>
    /// <param name="eosToken">tokenizer_config.json's eos_token, passed as <c>eos_token</c>.</param>
    /// <param name="kwargs">Extra template variables.</param>
    /// <param name="toolUseSource">A "tool_use" template of the list form, used instead when a conversation has tools.</param>
    /// <param name="padToken">tokenizer_config.json's pad_token, passed as <c>pad_token</c>.</param>
    /// <exception cref="ChatTemplateException">The template does not parse or uses something the renderer lacks (with line:column).</exception>
    public JinjaChatTemplate(
        string source, string origin, string? bosToken, string? eosToken, ChatTemplateKwargs? kwargs = null,
        string? toolUseSource = null, string? padToken = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        Source = source;
        Origin = origin;
        _template = JinjaTemplate.Parse(source, origin);
        _toolUse = toolUseSource is null ? null : JinjaTemplate.Parse(toolUseSource, origin + " (tool_use)");
        _kwargs = kwargs ?? ChatTemplateKwargs.None;
        foreach ((string name, string? token) in new[] { ("bos_token", bosToken), ("eos_token", eosToken), ("pad_token", padToken) })
        {
            if (token is not null)
            {
                _tokens.Add(new(name, token));
            }
        }

        (EndOfTurn, OpensThinkInPrompt) = Probe(eosToken);
        StopStrings = new[] { EndOfTurn, eosToken }.OfType<string>().Distinct().ToArray();
        _forbidden = new[] { bosToken, EndOfTurn, eosToken }.OfType<string>().Where(t => t.Length > 0).Distinct().ToArray();
    }

    /// <summary>"tokenizer": the value of <c>model.chat_template</c> that chooses this template.</summary>
    public string Name => "tokenizer";

    /// <summary>The template's Jinja text, exactly as read: what the adapter, the GGUF file and the Modelfile must carry.</summary>
    public string Source { get; }

    /// <summary>Where the template came from.</summary>
    public string Origin { get; }

    /// <summary>The text that closes an assistant turn (what the template writes right after an answer, up to whitespace; else EOS).</summary>
    public string EndOfTurn { get; }

    /// <summary>Whether the generation prompt ends inside an open <c>&lt;think&gt;</c> (as DeepSeek-R1's current template does).</summary>
    public bool OpensThinkInPrompt { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> StopStrings { get; }

    /// <summary>The template of a tokenizer folder's tokenizer_config.json ("default" of the list form; "tool_use" for conversations with tools).</summary>
    /// <exception cref="ChatTemplateException">The tokenizer has no chat template, or it is not supported.</exception>
    public static JinjaChatTemplate FromTokenizer(HfTokenizer tokenizer, ChatTemplateKwargs? kwargs = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        string config = Path.Combine(tokenizer.Source, "tokenizer_config.json");
        string source = tokenizer.ChatTemplateJinja ?? throw new ChatTemplateException(
            $"{config} has no chat_template, so there is no tokenizer template to render. " +
            $"Name a template in model.chat_template ({string.Join(", ", ChatTemplates.Names)}).");
        string file = Path.Combine(tokenizer.Source, ChatTemplateText.FileName);
        string origin = File.Exists(file) ? file : $"{config} chat_template";
        tokenizer.NamedChatTemplates.TryGetValue("tool_use", out string? toolUse);
        return new JinjaChatTemplate(source, origin, tokenizer.BosToken, tokenizer.EosToken, kwargs, toolUse, tokenizer.PadToken);
    }

    /// <inheritdoc/>
    public TokenizedExample RenderTraining(IReadOnlyList<ChatMessage> messages, HfTokenizer tokenizer, ChatRenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return TokenizedExample.FromSegments(RenderSegments(messages, options), tokenizer);
    }

    /// <inheritdoc/>
    public int[] RenderPrompt(IReadOnlyList<ChatMessage> messages, HfTokenizer tokenizer, ChatRenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return tokenizer.Encode(RenderPromptText(messages, options));
    }

    /// <inheritdoc/>
    public IReadOnlyList<TemplateSegment> RenderSegments(IReadOnlyList<ChatMessage> messages, ChatRenderOptions? options = null)
    {
        Check(messages, options, forTraining: true);
        IReadOnlyList<System.Text.Json.Nodes.JsonObject>? tools = options?.Tools;
        bool nullContent = ToolCallContentIsNull(messages, tools);
        JinjaRendering Render(int count, bool generation) => RenderValues(messages.Take(count).ToArray(), generation, tools, nullContent);
        IReadOnlyList<(int Start, int End)> spans = AssistantSpans.Find(messages, options?.TrainAllAssistantTurns ?? true, EndOfTurn, Origin, Render);
        string text = Render(messages.Count, false).Text;

        var writer = new SegmentWriter();
        int at = 0;
        foreach ((int start, int end) in spans)
        {
            writer.Prompt(text[at..start]);
            writer.Trained(text[start..end]);
            at = end;
        }

        writer.Prompt(text[at..]);
        return writer.Finish();
    }

    /// <inheritdoc/>
    public string RenderText(IReadOnlyList<ChatMessage> messages, ChatRenderOptions? options = null)
    {
        Check(messages, options, forTraining: false);
        return RenderValues(messages, false, options?.Tools, ToolCallContentIsNull(messages, options?.Tools)).Text;
    }

    /// <inheritdoc/>
    public string RenderPromptText(IReadOnlyList<ChatMessage> messages, ChatRenderOptions? options = null)
    {
        Check(messages, options, forTraining: false);
        return RenderValues(messages, true, options?.Tools, ToolCallContentIsNull(messages, options?.Tools)).Text;
    }

    /// <inheritdoc/>
    public IReadOnlyList<int> StopTokenIds(HfTokenizer tokenizer) => TokenizedExample.StopTokenIds(StopStrings, tokenizer);

    /// <inheritdoc/>
    public ReasoningSplit SplitReasoning(string generated, ChatRenderOptions? options = null) => ReasoningText.Split(generated, OpensThinkInPrompt);

    private JinjaRendering RenderValues(IReadOnlyList<ChatMessage> messages, bool generation, IReadOnlyList<System.Text.Json.Nodes.JsonObject>? tools, bool nullContent)
    {
        bool hasTools = tools is { Count: > 0 };
        var variables = new List<KeyValuePair<string, object?>>
        {
            new("messages", ConversationValues.Messages(messages, nullContent)),
            new("tools", hasTools ? ConversationValues.Tools(tools!) : null),
            new("documents", null),
            new("add_generation_prompt", generation),
        };
        variables.AddRange(_tokens);
        variables.AddRange(_kwargs.Values);
        return (hasTools && _toolUse is not null ? _toolUse : _template).Render(variables);
    }

    // Every tool call must reach the text. "" first (what most templates concatenate) for a turn that only calls tools;
    // None when the template then drops its calls, as DeepSeek's does.
    private bool ToolCallContentIsNull(IReadOnlyList<ChatMessage> messages, IReadOnlyList<System.Text.Json.Nodes.JsonObject>? tools)
    {
        if (!messages.Any(m => m.ToolCalls is { Count: > 0 }))
        {
            return false;
        }

        ChatToolCall[] calls = messages.SelectMany(m => m.ToolCalls ?? []).ToArray();
        bool WritesCalls(bool nullContent, out string? failure)
        {
            failure = null;
            try
            {
                string text = RenderValues(messages, false, tools, nullContent).Text;
                return calls.All(call => text.Contains(call.Name, StringComparison.Ordinal));
            }
            catch (ChatTemplateException e)
            {
                failure = e.Message;
                return false;
            }
        }

        if (WritesCalls(nullContent: false, out string? asEmpty))
        {
            return false;
        }

        string? asNone = "no turn has only tool calls";
        if (messages.Any(ConversationValues.OnlyCallsTools) && WritesCalls(nullContent: true, out asNone))
        {
            return true;
        }

        throw new ChatTemplateException(
            $"{Origin}: the template leaves out the tool calls of this conversation, with content \"\" " +
            $"({asEmpty ?? "rendered without them"}) and with content None ({asNone ?? "rendered without them"}). " +
            "Use a template that renders tool calls, or remove them from the data.");
    }

    private void Check(IReadOnlyList<ChatMessage> messages, ChatRenderOptions? options, bool forTraining)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (options is { WhenNoReasoning: not null } or { OpenThinkInPrompt: not null } or { EarlierTurnsAsHistory: true }
            or { ThinkBlock: not ThinkBlockLoss.Trained })
        {
            throw new ChatTemplateException(
                $"{Name}: WhenNoReasoning, OpenThinkInPrompt, ThinkBlock and EarlierTurnsAsHistory choose how the named templates write reasoning; the tokenizer's " +
                "template decides that itself. Leave them unset, or choose a named template.");
        }

        if (messages.Count == 0)
        {
            throw new ChatTemplateException($"{Name}: the conversation has no messages.");
        }

        for (int i = 0; i < messages.Count; i++)
        {
            ChatMessage message = messages[i] ?? throw new ChatTemplateException($"{Name}: message {i} is null.");
            if (message.Content is null)
            {
                throw new ChatTemplateException($"{Name}: message {i} ({message.Role}) has no content.");
            }

            foreach (string token in _forbidden)
            {
                if (message.Content.Contains(token, StringComparison.Ordinal) || (message.Reasoning?.Contains(token, StringComparison.Ordinal) ?? false))
                {
                    throw new ChatTemplateException(
                        $"{Name}: message {i} ({message.Role}) contains '{token}', a control token of this template. " +
                        "It would end or open a turn inside the text and break the loss mask; remove it from the data.");
                }
            }
        }

        if (forTraining && !messages.Any(m => m.Role == ChatRoles.Assistant))
        {
            throw new ChatTemplateException($"{Name}: the conversation has no assistant message, so nothing to train on.");
        }
    }

    // What follows an answer in a one-turn conversation is the end-of-turn marker; the generation prompt shows whether
    // the model starts inside <think>.
    private (string EndOfTurn, bool OpensThink) Probe(string? eosToken)
    {
        string? marker = null;
        bool opensThink = false;
        try
        {
            ChatMessage[] probe = [ChatMessage.User("Hello"), ChatMessage.Assistant(ProbeAnswer)];
            string rendered = RenderValues(probe, false, null, false).Text;
            int at = rendered.LastIndexOf(ProbeAnswer, StringComparison.Ordinal);
            if (at >= 0)
            {
                string after = rendered[(at + ProbeAnswer.Length)..];
                int space = after.AsSpan().IndexOfAny([' ', '\n', '\t', '\r']);
                marker = space < 0 ? after : after[..space];
            }

            opensThink = RenderValues(probe[..1], true, null, false).Text.TrimEnd().EndsWith(ReasoningText.Open, StringComparison.Ordinal);
        }
        catch (ChatTemplateException)
        {
            // A template that refuses the probe (it wants a system message first, say) still ends turns with EOS.
        }

        marker = string.IsNullOrEmpty(marker) ? eosToken : marker;
        if (string.IsNullOrEmpty(marker))
        {
            throw new ChatTemplateException(
                $"{Origin}: cannot tell where an assistant turn ends: the template writes nothing after an answer and the " +
                "tokenizer has no eos_token. Choose a named template.");
        }

        return (marker, opensThink);
    }
}
