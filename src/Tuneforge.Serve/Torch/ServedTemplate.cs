using Tuneforge.Data.Training;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Serve.Torch;

/// <summary>
/// The chat template Serve renders with: the one the weights were trained with. From a pipeline, its
/// <c>model.chat_template</c> resolved as training resolved it, checked against the template stored with the weights;
/// from the command line with auto, the template stored with the adapter (or, through the tokenizer, the model folder).
/// </summary>
internal static class ServedTemplate
{
    /// <param name="pipeline">The pipeline's model section (Serve stage), or null (command line).</param>
    /// <param name="choice">The command line's --chat-template (null = auto).</param>
    /// <param name="adapter">The adapter folder, or null.</param>
    /// <param name="modelDirectory">The model folder (null for a preset or download).</param>
    /// <exception cref="ChatTemplateException">The stored template differs from the pipeline's, or the choice cannot be resolved.</exception>
    public static ChatSetup Choose(ModelSpec? pipeline, string? choice, string? adapter, string? modelDirectory, HfTokenizer tokenizer)
    {
        if (pipeline is not null)
        {
            var chat = ChatSetup.From(pipeline, tokenizer);
            if ((adapter ?? modelDirectory) is { } weights) chat.RequireStoredIn(weights);
            return chat;
        }
        if (choice is null or ChatTemplates.Auto && adapter is not null && ChatSetup.StoredIn(adapter, tokenizer) is { } stored)
            return stored;
        return ChatSetup.From(new ModelSpec { ChatTemplate = choice ?? ChatTemplates.Auto }, tokenizer);
    }
}
