namespace Tuneforge.Text;

/// <summary>
/// A named template written as Jinja, so that what training rendered travels with the model (chat_template.jinja, GGUF
/// <c>tokenizer.chat_template</c>) and renders the same text in transformers, llama.cpp and Serve.
/// </summary>
/// <remarks>
/// The options the C# template was resolved with become <c>set</c> lines at the top; the assistant turn is one fragment
/// shared by the three bodies. With <c>add_generation_prompt</c> earlier answers lose their reasoning, as the C#
/// templates (and the upstream R1 template) do. Equality with the C# rendering is proven in NamedTemplateJinjaTests.
/// </remarks>
internal static class NamedTemplateJinja
{
    /// <summary>Where a body writes an assistant turn's text after its header.</summary>
    public const string AssistantTurn = "{#- assistant turn -#}";

    public static string Compose(string name, string endOfTurn, bool trimsContent, RenderChoices choices, string body) =>
        $"{{#- Tuneforge's {name} chat template as Jinja: renders what training rendered. -#}}\n" +
        $"{{%- set end_of_turn = '{endOfTurn}' -%}}\n" +
        $"{{%- set empty_think = {Python(choices.WhenNoReasoning == MissingReasoning.EmptyThinkBlock)} -%}}\n" +
        $"{{%- set open_think = {Python(choices.OpenThinkInPrompt)} -%}}\n" +
        $"{{%- set trim_content = {Python(trimsContent)} -%}}\n" +
        body.Replace(AssistantTurn, Assistant, StringComparison.Ordinal);

    private static string Python(bool value) => value ? "true" : "false";

    // ReasoningText.Of, then ChatTemplate.WriteAssistant: reasoning_content, else an inline block before </think>.
    private const string Assistant = """
        {%- set content = message.content -%}
        {%- set reasoning = none -%}
        {%- if message.reasoning_content is defined and message.reasoning_content is not none -%}
        {%- set reasoning = message.reasoning_content -%}
        {%- elif '</think>' in content -%}
        {%- set before = content.split('</think>')[0].lstrip() -%}
        {%- if before.startswith('<think>') -%}{%- set before = before[7:] -%}{%- endif -%}
        {%- set reasoning = before.strip('\n') -%}
        {%- set content = content.split('</think>', 1)[1].lstrip('\n') -%}
        {%- endif -%}
        {%- if add_generation_prompt -%}
        {{- (content.strip() if trim_content else content) + end_of_turn -}}
        {%- elif reasoning is not none or empty_think -%}
        {%- set answer = content.lstrip('\n') -%}
        {{- '<think>\n' + (reasoning or '').strip('\n') + '\n</think>\n\n' + (answer.strip() if trim_content else answer) + end_of_turn -}}
        {%- else -%}
        {{- (content.strip() if trim_content else content) + end_of_turn -}}
        {%- endif -%}
        """;
}
