using LLama;
using Tuneforge.Data.Training;
using Tuneforge.Engine.Gguf;
using Tuneforge.Engine.Runtime;
using Tuneforge.Text;

namespace Tuneforge.Serve.LlamaCpp;

/// <summary>
/// The chat template a GGUF file is served with: the Jinja <c>tokenizer.chat_template</c> it carries, rendered as it is
/// (as llama.cpp's server renders it); from the Serve stage, the pipeline's template, after checking that the file
/// carries exactly that one.
/// </summary>
internal static class GgufChatTemplate
{
    private const string MetadataKey = GgufModelMetadata.ChatTemplateKey;

    /// <param name="choice">The command line's --chat-template: null or auto (the file's template, else detection from its
    /// control tokens), tokenizer (the file's template, required) or a named template.</param>
    /// <param name="pipeline">What the Serve stage's model.chat_template resolves to; null from the command line.</param>
    /// <exception cref="ChatTemplateException">The file's template differs from the pipeline's, does not parse, or is missing where it is required.</exception>
    public static ChatSetup Choose(LLamaWeights weights, string path, string? choice, ChatSetup? pipeline)
    {
        var where = $"{path} {MetadataKey}";
        var stored = weights.Metadata.TryGetValue(MetadataKey, out var text) ? text : null;
        if (pipeline is not null)
        {
            ChatTemplateText.RequireSame(pipeline.TemplateText, stored, where);
            return pipeline;
        }
        var name = choice?.Trim() ?? ChatTemplates.Auto;
        var wantsFile = name.Equals(ChatTemplates.Tokenizer, StringComparison.OrdinalIgnoreCase);
        if (!wantsFile && !name.Equals(ChatTemplates.Auto, StringComparison.OrdinalIgnoreCase))
            return Plain(ChatTemplates.Get(name));
        if (stored is not null)
        {
            // bos_token/eos_token as llama.cpp's server passes them: the vocabulary's tokens, special text rendered.
            var vocab = weights.Vocab;
            return Plain(new JinjaChatTemplate(stored, where, vocab.LLamaTokenToString(vocab.BOS, true), vocab.LLamaTokenToString(vocab.EOS, true)));
        }
        if (wantsFile)
            throw new ChatTemplateException($"{path} has no {MetadataKey}, but --chat-template is tokenizer. Name a template instead ({string.Join(", ", ChatTemplates.Names)}), or write the GGUF file again with Quantize.");
        var detected = ChatTemplates.TryDetect(null, marker => weights.Tokenize(marker, add_bos: false, special: true, System.Text.Encoding.UTF8).Length == 1)
            ?? throw new EngineException($"{path}: cannot tell the chat template (no {MetadataKey}, and none of the known templates' control tokens)",
                $"Name it with --chat-template ({string.Join(", ", ChatTemplates.Names)}).");
        return Plain(detected);
    }

    // From the command line a template renders as it is: no pipeline options or system prompt.
    static ChatSetup Plain(IChatTemplate template) => new(template, new ChatRenderOptions(), SystemPrompt: null);
}
