namespace Tuneforge.Text;

/// <summary>
/// ChatML, as Qwen2/Qwen3 use it: <c>&lt;|im_start|&gt;{role}\n{content}&lt;|im_end|&gt;\n</c> per message, no BOS.
/// </summary>
/// <remarks>
/// No default system prompt is added. The generation prompt is <c>&lt;|im_start|&gt;assistant\n</c>; Qwen3 then writes
/// its own <c>&lt;think&gt;</c>. The newline after an assistant's <c>&lt;|im_end|&gt;</c> is prompt, not trained.
/// </remarks>
internal sealed class ChatMlTemplate : ChatTemplate
{
    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";
    public const string EndOfText = "<|endoftext|>";

    public override string Name => "chatml";

    public override IReadOnlyList<string> StopStrings { get; } = [ImEnd, EndOfText];

    protected override IReadOnlyList<string> WrittenControlTokens { get; } = [ImStart, ImEnd];

    protected override string TurnEnd => ImEnd;

    protected override string JinjaBody => """
        {%- for message in messages -%}
        {%- if message.role == 'assistant' -%}
        {{- '<|im_start|>assistant\n' -}}
        {#- assistant turn -#}
        {{- '\n' -}}
        {%- else -%}
        {{- '<|im_start|>' + message.role + '\n' + message.content + '<|im_end|>\n' -}}
        {%- endif -%}
        {%- endfor -%}
        {%- if add_generation_prompt -%}
        {{- '<|im_start|>assistant\n' + ('<think>\n' if open_think else '') -}}
        {%- endif -%}
        """;

    protected override void Write(SegmentWriter writer, IReadOnlyList<ChatMessage> messages, RenderChoices choices, bool forGeneration)
    {
        for (int i = 0; i < messages.Count; i++)
        {
            ChatMessage message = messages[i];
            if (message.Role == ChatRoles.Assistant)
            {
                writer.Prompt($"{ImStart}assistant\n");
                WriteAssistant(writer, i, message, choices, forGeneration, ImEnd);
                writer.Prompt("\n");
            }
            else
            {
                writer.Prompt($"{ImStart}{message.Role}\n{message.Content}{ImEnd}\n");
            }
        }

        if (forGeneration)
        {
            writer.Prompt($"{ImStart}assistant\n{ThinkOpening(choices)}");
        }
    }
}
