namespace Tuneforge.Engine.Models;

/// <summary>The decoder-only families the engine builds, named as in config.json's <c>architectures</c>.</summary>
public enum ModelArchitecture
{
    Llama,
    Qwen2,
    Qwen3,
}

/// <summary>What differs between the families; everything else is shared.</summary>
public sealed record ArchitectureTraits(string HfName, string ModelType, bool QkvBias, bool OutputBias, bool QkNorm)
{
    /// <summary>Traits of <paramref name="architecture"/>; Llama and Qwen3 take their bias from <c>attention_bias</c>.</summary>
    public static ArchitectureTraits Of(ModelArchitecture architecture, bool attentionBias) => architecture switch
    {
        ModelArchitecture.Llama => new("LlamaForCausalLM", "llama", attentionBias, attentionBias, QkNorm: false),
        ModelArchitecture.Qwen2 => new("Qwen2ForCausalLM", "qwen2", QkvBias: true, OutputBias: false, QkNorm: false),
        ModelArchitecture.Qwen3 => new("Qwen3ForCausalLM", "qwen3", attentionBias, attentionBias, QkNorm: true),
        _ => throw new ArgumentOutOfRangeException(nameof(architecture)),
    };

    public static bool TryParse(string hfName, out ModelArchitecture architecture)
    {
        switch (hfName)
        {
            case "LlamaForCausalLM": architecture = ModelArchitecture.Llama; return true;
            case "Qwen2ForCausalLM": architecture = ModelArchitecture.Qwen2; return true;
            case "Qwen3ForCausalLM": architecture = ModelArchitecture.Qwen3; return true;
            default: architecture = default; return false;
        }
    }

    public const string Supported = "LlamaForCausalLM, Qwen2ForCausalLM, Qwen3ForCausalLM";
}
