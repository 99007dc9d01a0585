using System.Globalization;
using System.Text;

namespace Tuneforge.Packaging.Ollama;

/// <summary>
/// An Ollama Modelfile for one GGUF file: FROM, a Go-template TEMPLATE that renders conversations exactly as the
/// model was trained (no BOS: llama.cpp adds it from the GGUF's add_bos_token), the turn markers as stop
/// parameters, the pipeline's system prompt and the recommended sampling.
/// </summary>
public static class OllamaModelfile
{
    /// <summary>The chat templates a Modelfile can be written for (as in Tuneforge.Text: qwen is chatml).</summary>
    public static readonly IReadOnlyList<string> Templates = ["deepseek-r1", "chatml", "qwen", "llama3"];

    public static string Write(string ggufFileName, string template, string? systemPrompt, double? temperature, double? topP)
    {
        var (body, stops) = template.ToLowerInvariant() switch
        {
            "deepseek-r1" => (DeepSeekR1, new[] { "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "<｜User｜>", "<｜Assistant｜>" }),
            "chatml" or "qwen" => (ChatMl, new[] { "<|im_start|>", "<|im_end|>" }),
            "llama3" => (Llama3, new[] { "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>" }),
            _ => throw new ArgumentException($"no Ollama template for chat template '{template}' (known: {string.Join(", ", Templates)})"),
        };
        var text = new StringBuilder();
        text.Append("# Ollama: ollama create NAME -f THIS_FILE   (run from this folder)\n");
        text.Append("FROM ./").Append(ggufFileName).Append('\n');
        text.Append("TEMPLATE \"\"\"").Append(body).Append("\"\"\"\n");
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

    // <｜User｜>q<｜Assistant｜>a<｜end▁of▁sentence｜>…, the generation prompt opening <think> as in training.
    private const string DeepSeekR1 =
        "{{- if .System }}{{ .System }}{{ end }}\n" +
        "{{- range $i, $_ := .Messages }}\n" +
        "{{- $last := eq (len (slice $.Messages $i)) 1 }}\n" +
        "{{- if eq .Role \"user\" }}<｜User｜>{{ .Content }}\n" +
        "{{- else if eq .Role \"assistant\" }}<｜Assistant｜>{{ .Content }}{{ if not $last }}<｜end▁of▁sentence｜>{{ end }}\n" +
        "{{- end }}\n" +
        "{{- if and $last (ne .Role \"assistant\") }}<｜Assistant｜><think>\n" +
        "{{ end }}\n" +
        "{{- end }}";

    private const string ChatMl =
        "{{- if .System }}<|im_start|>system\n{{ .System }}<|im_end|>\n{{ end }}\n" +
        "{{- range $i, $_ := .Messages }}\n" +
        "{{- $last := eq (len (slice $.Messages $i)) 1 -}}\n" +
        "<|im_start|>{{ .Role }}\n{{ .Content }}{{ if not $last }}<|im_end|>\n{{ end }}\n" +
        "{{- if and $last (ne .Role \"assistant\") }}<|im_end|>\n<|im_start|>assistant\n{{ end }}\n" +
        "{{- end }}";

    private const string Llama3 =
        "{{- if .System }}<|start_header_id|>system<|end_header_id|>\n\n{{ .System }}<|eot_id|>{{ end }}\n" +
        "{{- range $i, $_ := .Messages }}\n" +
        "{{- $last := eq (len (slice $.Messages $i)) 1 -}}\n" +
        "<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n{{ .Content }}{{ if or (not $last) (ne .Role \"assistant\") }}<|eot_id|>{{ end }}\n" +
        "{{- if and $last (ne .Role \"assistant\") }}<|start_header_id|>assistant<|end_header_id|>\n\n{{ end }}\n" +
        "{{- end }}";
}
