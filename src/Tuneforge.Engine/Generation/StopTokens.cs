using Tuneforge.Engine.Models;
using Tuneforge.Text;

namespace Tuneforge.Engine.Generation;

/// <summary>
/// The one decision of which generated ids end a sequence, shared by Predict, Quantize's quality check, <c>generate</c>
/// and Serve, so what was evaluated stops where what is served stops.
/// </summary>
public static class StopTokens
{
    /// <summary>
    /// The model's configured EOS ids (config.json, and generation_config.json in <paramref name="modelDirectory"/>),
    /// the tokenizer's eos token, and the chat template's stop strings that are single tokens; sorted, without repeats.
    /// </summary>
    public static IReadOnlyList<int> Resolve(ModelConfig config, string? modelDirectory, HfTokenizer tokenizer, IChatTemplate? template)
    {
        var ids = new HashSet<int>(config.EosTokenIds);
        ids.UnionWith(GenerationConfigFile.EosTokenIds(modelDirectory));
        if (tokenizer.EosId is int eos) ids.Add(eos);
        if (template is not null) ids.UnionWith(template.StopTokenIds(tokenizer));
        return ids.Order().ToArray();
    }
}
