using static TorchSharp.torch;

namespace Tuneforge.Engine.Gguf;

/// <summary>
/// Hugging Face's Llama q/k weights rotate halves of each head (dims i and i + D/2 form a pair); llama.cpp's llama
/// architecture rotates adjacent dims (2i, 2i + 1). Exporting reorders each head's output rows from
/// [first half; second half] to interleaved pairs, as llama.cpp's converter does; importing undoes it.
/// Qwen2 and Qwen3 use the rotate-half (NEOX) form in llama.cpp too and are not permuted.
/// </summary>
public static class LlamaRotaryLayout
{
    /// <summary>HF (rotate-half) rows to llama.cpp's interleaved rows, for a weight [heads·D, in] or a bias [heads·D].</summary>
    public static Tensor ToInterleaved(Tensor weight, int heads)
    {
        using var scope = NewDisposeScope();
        var rest = weight.shape.Skip(1).ToArray();
        var headDim = weight.shape[0] / heads;
        var result = weight.reshape([heads, 2, headDim / 2, .. rest]).transpose(1, 2).reshape(weight.shape).contiguous();
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>The inverse of <see cref="ToInterleaved"/>.</summary>
    public static Tensor ToRotateHalf(Tensor weight, int heads)
    {
        using var scope = NewDisposeScope();
        var rest = weight.shape.Skip(1).ToArray();
        var headDim = weight.shape[0] / heads;
        var result = weight.reshape([heads, headDim / 2, 2, .. rest]).transpose(1, 2).reshape(weight.shape).contiguous();
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>The number of heads whose rows <paramref name="hfName"/> holds when it must be permuted, else null.</summary>
    public static int? HeadsToPermute(Models.ModelConfig config, string hfName)
    {
        if (config.Architecture != Models.ModelArchitecture.Llama) return null;
        if (hfName.EndsWith("self_attn.q_proj.weight", StringComparison.Ordinal) || hfName.EndsWith("self_attn.q_proj.bias", StringComparison.Ordinal))
            return config.NumAttentionHeads;
        if (hfName.EndsWith("self_attn.k_proj.weight", StringComparison.Ordinal) || hfName.EndsWith("self_attn.k_proj.bias", StringComparison.Ordinal))
            return config.NumKeyValueHeads;
        return null;
    }
}
