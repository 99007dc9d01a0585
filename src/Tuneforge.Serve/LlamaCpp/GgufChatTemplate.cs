using LLama;
using Tuneforge.Engine.Runtime;
using Tuneforge.Text;

namespace Tuneforge.Serve.LlamaCpp;

/// <summary>The chat template of a GGUF file: named, or detected from <c>tokenizer.chat_template</c> or the vocabulary's control tokens.</summary>
internal static class GgufChatTemplate
{
    // The marker each template writes before the assistant's turn; R1 distills of Qwen also carry <|im_start|>, so R1 is looked for first.
    private static readonly (string Marker, string Name)[] Signs =
    [
        ("<｜Assistant｜>", "deepseek-r1"),
        ("<|im_start|>", "chatml"),
        ("<|start_header_id|>", "llama3"),
    ];

    public static IChatTemplate Resolve(LLamaWeights weights, string? name, string path)
    {
        if (name is not null and not "auto") return ChatTemplates.Get(name);
        if (weights.Metadata.TryGetValue("tokenizer.chat_template", out var jinja))
        {
            foreach (var (marker, template) in Signs)
            {
                if (jinja.Contains(marker, StringComparison.Ordinal)) return ChatTemplates.Get(template);
            }
        }
        foreach (var (marker, template) in Signs)
        {
            if (weights.Tokenize(marker, add_bos: false, special: true, System.Text.Encoding.UTF8).Length == 1) return ChatTemplates.Get(template);
        }
        throw new EngineException($"{path}: cannot tell the chat template (no tokenizer.chat_template that names a known format, and none of its control tokens)",
            $"Name it with --chat-template ({string.Join(", ", ChatTemplates.Names)}).");
    }
}
