using LLama;
using Tuneforge.Engine.Runtime;
using Tuneforge.Text;

namespace Tuneforge.Serve.LlamaCpp;

/// <summary>The chat template of a GGUF file: named, or detected (by <see cref="ChatTemplates.TryDetect(string?, Func{string, bool})"/>)
/// from <c>tokenizer.chat_template</c> or the vocabulary's control tokens.</summary>
internal static class GgufChatTemplate
{
    public static IChatTemplate Resolve(LLamaWeights weights, string? name, string path)
    {
        if (name is not null and not "auto") return ChatTemplates.Get(name);
        var jinja = weights.Metadata.TryGetValue("tokenizer.chat_template", out var text) ? text : null;
        return ChatTemplates.TryDetect(jinja, marker => weights.Tokenize(marker, add_bos: false, special: true, System.Text.Encoding.UTF8).Length == 1)
            ?? throw new EngineException($"{path}: cannot tell the chat template (no tokenizer.chat_template that names a known format, and none of its control tokens)",
                $"Name it with --chat-template ({string.Join(", ", ChatTemplates.Names)}).");
    }
}
