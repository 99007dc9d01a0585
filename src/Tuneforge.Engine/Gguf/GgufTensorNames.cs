using System.Text.RegularExpressions;

namespace Tuneforge.Engine.Gguf;

/// <summary>Hugging Face state-dict names to llama.cpp's GGUF tensor names, as a table (llama.cpp's tensor_mapping).</summary>
public static partial class GgufTensorNames
{
    private static readonly Dictionary<string, string> Global = new(StringComparer.Ordinal)
    {
        ["model.embed_tokens.weight"] = "token_embd.weight",
        ["model.norm.weight"] = "output_norm.weight",
        ["lm_head.weight"] = "output.weight",
    };

    private static readonly Dictionary<string, string> PerLayer = new(StringComparer.Ordinal)
    {
        ["input_layernorm.weight"] = "attn_norm.weight",
        ["post_attention_layernorm.weight"] = "ffn_norm.weight",
        ["self_attn.q_proj.weight"] = "attn_q.weight",
        ["self_attn.q_proj.bias"] = "attn_q.bias",
        ["self_attn.k_proj.weight"] = "attn_k.weight",
        ["self_attn.k_proj.bias"] = "attn_k.bias",
        ["self_attn.v_proj.weight"] = "attn_v.weight",
        ["self_attn.v_proj.bias"] = "attn_v.bias",
        ["self_attn.o_proj.weight"] = "attn_output.weight",
        ["self_attn.o_proj.bias"] = "attn_output.bias",
        ["self_attn.q_norm.weight"] = "attn_q_norm.weight",
        ["self_attn.k_norm.weight"] = "attn_k_norm.weight",
        ["mlp.gate_proj.weight"] = "ffn_gate.weight",
        ["mlp.gate_proj.bias"] = "ffn_gate.bias",
        ["mlp.up_proj.weight"] = "ffn_up.weight",
        ["mlp.up_proj.bias"] = "ffn_up.bias",
        ["mlp.down_proj.weight"] = "ffn_down.weight",
        ["mlp.down_proj.bias"] = "ffn_down.bias",
    };

    /// <summary>The GGUF name of <paramref name="hfName"/>; throws for a name llama.cpp has no place for.</summary>
    public static string ToGguf(string hfName)
    {
        if (Global.TryGetValue(hfName, out var name)) return name;
        var match = LayerName().Match(hfName);
        if (match.Success && PerLayer.TryGetValue(match.Groups[2].Value, out var suffix))
            return $"blk.{match.Groups[1].Value}.{suffix}";
        throw new ArgumentException($"tensor '{hfName}' has no GGUF name (llama.cpp would not read it)");
    }

    [GeneratedRegex(@"^model\.layers\.(\d+)\.(.+)$")]
    private static partial Regex LayerName();
}
