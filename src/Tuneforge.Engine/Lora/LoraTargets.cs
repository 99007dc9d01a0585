using Tuneforge.Engine.Models.Layers;

namespace Tuneforge.Engine.Lora;

/// <summary>
/// Which linear layers of a decoder get adapters. PEFT matches <c>target_modules</c> against the last part of a module
/// name; <c>all-linear</c> means every linear layer except the output head.
/// </summary>
public static class LoraTargets
{
    public const string AllLinear = "all-linear";

    /// <summary>The seven linear layers of a Llama/Qwen decoder layer, in module order.</summary>
    public static IReadOnlyList<string> AllProjections { get; } = [.. Attention.ProjectionNames, .. Mlp.ProjectionNames];

    /// <summary>Resolves "all-linear" and checks names; returns the names sorted (as PEFT writes its set).</summary>
    public static IReadOnlyList<string> Resolve(IReadOnlyList<string> requested)
    {
        if (requested.Count == 0) throw new ArgumentException("train.lora.target_modules is empty; name projections (q_proj, v_proj, ...) or all-linear");
        if (requested.Any(r => r == AllLinear))
        {
            if (requested.Count > 1) throw new ArgumentException("train.lora.target_modules: all-linear stands alone; remove the other names");
            return AllProjections.Order(StringComparer.Ordinal).ToList();
        }
        foreach (var name in requested)
        {
            if (name == "lm_head")
                throw new ArgumentException("train.lora.target_modules: lm_head is not supported (PEFT's all-linear leaves it out too); use the projections of the layers");
            if (!AllProjections.Contains(name))
                throw new ArgumentException($"train.lora.target_modules: '{name}' is not a linear layer of this model; use {string.Join(", ", AllProjections)} or {AllLinear}");
        }
        return requested.Distinct().Order(StringComparer.Ordinal).ToList();
    }
}
