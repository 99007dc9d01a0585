using Tuneforge.Engine.Models;
using Tuneforge.Engine.Models.Layers;
using Tuneforge.Engine.Runtime;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Lora;

/// <summary>
/// PEFT's <c>modules_to_save</c>: whole modules trained beside the adapters and saved into the adapter file
/// (<c>base_model.model.model.norm.weight</c>), replacing the base's copy when the adapter is applied or merged.
/// Only normalization layers are supported: a frozen final norm bounds every logit, so a LoRA on a small base with a
/// tied head cannot make its answer likely without it (docs/benchmarks.md).
/// </summary>
public static class SavedModules
{
    /// <summary>The RMSNorm layers of a Llama/Qwen decoder, by the last part of their name.</summary>
    public static IReadOnlyList<string> Supported { get; } = ["norm", "input_layernorm", "post_attention_layernorm", "q_norm", "k_norm"];

    /// <summary>Checks names; returns them sorted and distinct (as PEFT writes its set).</summary>
    public static IReadOnlyList<string> Resolve(IReadOnlyList<string> requested)
    {
        foreach (var name in requested)
        {
            if (name is "lm_head" or "embed_tokens")
                throw new ArgumentException($"train.lora.modules_to_save: '{name}' is not supported (a full copy of the vocabulary rows); train norm, or use train.method full");
            if (!Supported.Contains(name))
                throw new ArgumentException($"train.lora.modules_to_save: '{name}' is not a normalization layer of this model; use {string.Join(", ", Supported)}");
        }
        return requested.Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether <paramref name="moduleName"/> (<c>model.norm</c>) is one of <paramref name="names"/>: the
    /// name itself or ending with "." and it, so <c>norm</c> is the final norm only.</summary>
    public static bool Matches(string moduleName, IReadOnlyList<string> names) =>
        names.Any(n => moduleName == n || moduleName.EndsWith("." + n, StringComparison.Ordinal));

    /// <summary>The weights of the saved modules by their Hugging Face name (<c>model.norm.weight</c>), in module order.</summary>
    public static IReadOnlyList<(string WeightName, Tensor Weight)> Find(CausalLM model, IReadOnlyList<string> names)
    {
        if (names.Count == 0) return [];
        var found = model.named_modules().Where(m => m.module is RmsNorm && Matches(m.name, names)).ToList();
        var unmatched = names.Where(n => !found.Any(f => Matches(f.name, [n]))).ToList();
        if (unmatched.Count > 0)
            throw new EngineException($"train.lora.modules_to_save: this model has no {string.Join(", ", unmatched)} layer",
                "Name the normalization layers its architecture has (q_norm and k_norm exist in Qwen3 only).");
        return found.Select(m => ($"{m.name}.weight", (Tensor)((RmsNorm)m.module).Weight)).ToList();
    }
}
