using System.Globalization;
using System.Text;
using Tuneforge.Text;

namespace Tuneforge.Packaging.Ollama;

/// <summary>
/// An Ollama Modelfile for one GGUF file: FROM, a Go-template TEMPLATE that renders conversations exactly as the
/// model was trained (no BOS: llama.cpp adds it from the GGUF's add_bos_token), the turn markers as stop
/// parameters, the pipeline's system prompt and the recommended sampling.
/// </summary>
/// <remarks>
/// The template is the one training stored (its Jinja text). A named template's Jinja form gets its Go template, with the
/// generation prompt opening <c>&lt;think&gt;</c> exactly when training's did; any other Jinja template (a checkpoint's
/// own) has no Go form here: the Modelfile then leaves TEMPLATE to the GGUF's <c>tokenizer.chat_template</c>, which
/// carries it, and stops on the template's end of turn.
/// </remarks>
public static class OllamaModelfile
{
    /// <param name="chatTemplate">The Jinja text of the template the model was trained with (chat_template.jinja).</param>
    public static string Write(string ggufFileName, string chatTemplate, string? systemPrompt, double? temperature, double? topP)
    {
        var (body, stops) = ChatTemplateText.NamedFormOf(chatTemplate) is { } named
            ? GoTemplate(named.Template.Name, named.Options.OpenThinkInPrompt == true)
            : (null, new JinjaChatTemplate(chatTemplate, "the trained chat template", bosToken: null, eosToken: null).StopStrings.ToArray());
        var text = new StringBuilder();
        text.Append("# Ollama: ollama create NAME -f THIS_FILE   (run from this folder)\n");
        text.Append("FROM ./").Append(ggufFileName).Append('\n');
        if (body is null) text.Append("# TEMPLATE: the GGUF's tokenizer.chat_template, the Jinja template the model was trained with\n");
        else text.Append("TEMPLATE \"\"\"").Append(body).Append("\"\"\"\n");
        if (!string.IsNullOrWhiteSpace(systemPrompt))
        {
            if (systemPrompt.Contains("\"\"\"", StringComparison.Ordinal)) throw new ArgumentException("the system prompt contains \"\"\", which a Modelfile cannot quote");
            text.Append("SYSTEM \"\"\"").Append(systemPrompt).Append("\"\"\"\n");
        }
        foreach (var stop in stops) text.Append("PARAMETER stop \"").Append(stop).Append("\"\n");
        if (temperature is { } t) text.Append(CultureInfo.InvariantCulture, $"PARAMETER temperature {t}\n");
        if (topP is { } p) text.Append(CultureInfo.InvariantCulture, $"PARAMETER top_p {p}\n");
        return text.ToString();
    }

    private static (string Body, string[] Stops) GoTemplate(string name, bool opensThink)
    {
        var (body, stops) = name switch
        {
            "deepseek-r1" => (DeepSeekR1, new[] { "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "<｜User｜>", "<｜Assistant｜>" }),
            "chatml" => (ChatMl, new[] { "<|im_start|>", "<|im_end|>" }),
            "llama3" => (Llama3, new[] { "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>" }),
            _ => throw new ArgumentException($"no Ollama template for the named chat template '{name}'"),
        };
        return (body.Replace(ThinkOpening, opensThink ? "<think>\n" : "", StringComparison.Ordinal), stops);
    }

    // Where the generation prompt opens <think> when training's did.
    private const string ThinkOpening = "$think$";

    // <｜User｜>q<｜Assistant｜>a<｜end▁of▁sentence｜>…
    private const string DeepSeekR1 =
        "{{- if .System }}{{ .System }}{{ end }}\n" +
        "{{- range $i, $_ := .Messages }}\n" +
        "{{- $last := eq (len (slice $.Messages $i)) 1 }}\n" +
        "{{- if eq .Role \"user\" }}<｜User｜>{{ .Content }}\n" +
        "{{- else if eq .Role \"assistant\" }}<｜Assistant｜>{{ .Content }}{{ if not $last }}<｜end▁of▁sentence｜>{{ end }}\n" +
        "{{- end }}\n" +
        "{{- if and $last (ne .Role \"assistant\") }}<｜Assistant｜>" + ThinkOpening +
        "{{ end }}\n" +
        "{{- end }}";

    private const string ChatMl =
        "{{- if .System }}<|im_start|>system\n{{ .System }}<|im_end|>\n{{ end }}\n" +
        "{{- range $i, $_ := .Messages }}\n" +
        "{{- $last := eq (len (slice $.Messages $i)) 1 -}}\n" +
        "<|im_start|>{{ .Role }}\n{{ .Content }}{{ if not $last }}<|im_end|>\n{{ end }}\n" +
        "{{- if and $last (ne .Role \"assistant\") }}<|im_end|>\n<|im_start|>assistant\n" + ThinkOpening + "{{ end }}\n" +
        "{{- end }}";

    private const string Llama3 =
        "{{- if .System }}<|start_header_id|>system<|end_header_id|>\n\n{{ .System }}<|eot_id|>{{ end }}\n" +
        "{{- range $i, $_ := .Messages }}\n" +
        "{{- $last := eq (len (slice $.Messages $i)) 1 -}}\n" +
        "<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n{{ .Content }}{{ if or (not $last) (ne .Role \"assistant\") }}<|eot_id|>{{ end }}\n" +
        "{{- if and $last (ne .Role \"assistant\") }}<|start_header_id|>assistant<|end_header_id|>\n\n" + ThinkOpening + "{{ end }}\n" +
        "{{- end }}";
}
