namespace Tuneforge.Text;

/// <summary>
/// Llama 3: <c>&lt;|begin_of_text|&gt;</c> then <c>&lt;|start_header_id|&gt;{role}&lt;|end_header_id|&gt;\n\n{content}&lt;|eot_id|&gt;</c> per message.
/// </summary>
/// <remarks>Content is trimmed, as Meta's template does; no default system prompt (Llama 3.1's date header) is added.</remarks>
internal sealed class Llama3Template : ChatTemplate
{
    public const string BeginOfText = "<|begin_of_text|>";
    public const string StartHeader = "<|start_header_id|>";
    public const string EndHeader = "<|end_header_id|>";
    public const string EndOfTurn = "<|eot_id|>";
    public const string EndOfText = "<|end_of_text|>";

    public override string Name => "llama3";

    public override IReadOnlyList<string> StopStrings { get; } = [EndOfTurn, EndOfText];

    protected override IReadOnlyList<string> WrittenControlTokens { get; } = [BeginOfText, StartHeader, EndHeader, EndOfTurn];

    protected override string BeginToken => BeginOfText;

    protected override bool TrimsContent => true;

    protected override string TurnEnd => EndOfTurn;

    protected override string JinjaBody => """
        {{- '<|begin_of_text|>' -}}
        {%- for message in messages -%}
        {{- '<|start_header_id|>' + message.role + '<|end_header_id|>\n\n' -}}
        {%- if message.role == 'assistant' -%}
        {#- assistant turn -#}
        {%- else -%}
        {{- message.content.strip() + '<|eot_id|>' -}}
        {%- endif -%}
        {%- endfor -%}
        {%- if add_generation_prompt -%}
        {{- '<|start_header_id|>assistant<|end_header_id|>\n\n' + ('<think>\n' if open_think else '') -}}
        {%- endif -%}
        """;

    protected override void Write(SegmentWriter writer, IReadOnlyList<ChatMessage> messages, RenderChoices choices, bool forGeneration)
    {
        writer.Prompt(BeginOfText);
        for (int i = 0; i < messages.Count; i++)
        {
            ChatMessage message = messages[i];
            writer.Prompt(Header(message.Role));
            if (message.Role == ChatRoles.Assistant)
            {
                WriteAssistant(writer, i, message, choices, forGeneration, EndOfTurn);
            }
            else
            {
                writer.Prompt(Content(message.Content) + EndOfTurn);
            }
        }

        if (forGeneration)
        {
            writer.Prompt(Header(ChatRoles.Assistant) + ThinkOpening(choices));
        }
    }

    private static string Header(string role) => $"{StartHeader}{role}{EndHeader}\n\n";
}
