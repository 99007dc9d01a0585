namespace Tuneforge.Text;

/// <summary>
/// DeepSeek-R1 and its distills: <c>&lt;｜begin▁of▁sentence｜&gt;{system}&lt;｜User｜&gt;{q}&lt;｜Assistant｜&gt;{a}&lt;｜end▁of▁sentence｜&gt;</c>.
/// </summary>
/// <remarks>
/// The tokens use U+FF5C '｜' and U+2581 '▁', not ASCII lookalikes. System messages are joined with a blank line and
/// placed after BOS, as the upstream template does. The generation prompt ends <c>&lt;｜Assistant｜&gt;&lt;think&gt;\n</c>.
/// </remarks>
internal sealed class DeepSeekR1Template : ChatTemplate
{
    public const string BeginOfSentence = "<｜begin▁of▁sentence｜>";
    public const string EndOfSentence = "<｜end▁of▁sentence｜>";
    public const string UserMarker = "<｜User｜>";
    public const string AssistantMarker = "<｜Assistant｜>";

    public override string Name => "deepseek-r1";

    public override IReadOnlyList<string> StopStrings { get; } = [EndOfSentence];

    protected override IReadOnlyList<string> WrittenControlTokens { get; } =
        [BeginOfSentence, EndOfSentence, UserMarker, AssistantMarker];

    protected override string BeginToken => BeginOfSentence;

    protected override MissingReasoning DefaultWhenNoReasoning => MissingReasoning.EmptyThinkBlock;

    protected override bool OpensThinkByDefault => true;

    protected override string TurnEnd => EndOfSentence;

    // System messages joined by a blank line after BOS; tool messages are not written, as in Write below.
    protected override string JinjaBody => """
        {{- '<｜begin▁of▁sentence｜>' + (messages | selectattr('role', 'equalto', 'system') | map(attribute='content') | join('\n\n')) -}}
        {%- for message in messages -%}
        {%- if message.role == 'user' -%}
        {{- '<｜User｜>' + message.content -}}
        {%- elif message.role == 'assistant' -%}
        {{- '<｜Assistant｜>' -}}
        {#- assistant turn -#}
        {%- endif -%}
        {%- endfor -%}
        {%- if add_generation_prompt -%}
        {{- '<｜Assistant｜>' + ('<think>\n' if open_think else '') -}}
        {%- endif -%}
        """;

    protected override void Write(SegmentWriter writer, IReadOnlyList<ChatMessage> messages, RenderChoices choices, bool forGeneration)
    {
        string system = string.Join("\n\n", messages.Where(m => m.Role == ChatRoles.System).Select(m => m.Content));
        writer.Prompt(BeginOfSentence + system);
        for (int i = 0; i < messages.Count; i++)
        {
            ChatMessage message = messages[i];
            if (message.Role == ChatRoles.User)
            {
                writer.Prompt(UserMarker + message.Content);
            }
            else if (message.Role == ChatRoles.Assistant)
            {
                writer.Prompt(AssistantMarker);
                WriteAssistant(writer, i, message, choices, forGeneration, EndOfSentence);
            }
        }

        if (forGeneration)
        {
            writer.Prompt(AssistantMarker + ThinkOpening(choices));
        }
    }
}
