using System.Text.RegularExpressions;

namespace Tuneforge.Engine.Gguf;

/// <summary>
/// What a GGUF export stores, named as llama.cpp's <c>general.file_type</c> (llama_ftype) and its quantize tool
/// (F32, F16, BF16, Q8_0, Q4_0, Q4_K_M). Norms and biases stay F32 in every type, as in llama.cpp.
/// </summary>
public enum GgufFileType
{
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q8_0 = 7,
    Q4_K_M = 15,
    BF16 = 32,
}

public static partial class GgufFileTypes
{
    /// <summary>Parses f32, f16, bf16, q8_0, q4_0, q4_k_m (any case, with or without a <c>gguf_</c> prefix).</summary>
    public static GgufFileType Parse(string text) => text.Trim().ToLowerInvariant().Replace("gguf_", "") switch
    {
        "f32" => GgufFileType.F32,
        "f16" => GgufFileType.F16,
        "bf16" => GgufFileType.BF16,
        "q8_0" => GgufFileType.Q8_0,
        "q4_0" => GgufFileType.Q4_0,
        "q4_k_m" => GgufFileType.Q4_K_M,
        _ => throw new ArgumentException($"GGUF type '{text}' is not supported; use f32, f16, bf16, q8_0, q4_0 or q4_k_m"),
    };

    public static string Name(GgufFileType type) => type.ToString().ToLowerInvariant();

    /// <summary>
    /// The ggml type of one tensor. Quantized files quantize matrices whose rows are whole blocks (else F16); Q4_0
    /// keeps the output layer (or the tied embedding, which serves as it) at Q8_0, because 4 bits there cost the most
    /// quality, as llama.cpp's quantize keeps it at 6 bits. Q4_K_M follows llama.cpp's mix (<see cref="Q4KMixType"/>).
    /// </summary>
    public static GgmlType TensorType(GgufFileType file, string ggufName, long[] dims, bool tiedEmbedding, int layerCount)
    {
        if (dims.Length == 1) return GgmlType.F32;
        var isOutput = ggufName == "output.weight" || (tiedEmbedding && ggufName == "token_embd.weight");
        if (file == GgufFileType.Q4_K_M) return Q4KMixType(ggufName, dims[0], isOutput, layerCount);
        GgmlType wanted = file switch
        {
            GgufFileType.F32 => GgmlType.F32,
            GgufFileType.F16 => GgmlType.F16,
            GgufFileType.BF16 => GgmlType.BF16,
            GgufFileType.Q8_0 => GgmlType.Q8_0,
            GgufFileType.Q4_0 => isOutput ? GgmlType.Q8_0 : GgmlType.Q4_0,
            _ => throw new ArgumentOutOfRangeException(nameof(file)),
        };
        return GgmlTypes.Fits(wanted, dims[0]) ? wanted : GgmlType.F16;
    }

    /// <summary>
    /// llama.cpp's Q4_K_M (llama_tensor_get_type): Q4_K by default; Q6_K for the output layer (Q8_0 if its rows are not
    /// whole 256-value blocks) and for attn_v and ffn_down on the layers <see cref="UsesMoreBits"/> picks; a K-quant
    /// whose rows are not whole blocks falls back as llama.cpp does, Q4_K to Q5_0 and Q6_K to Q8_0, and then to F16.
    /// </summary>
    public static GgmlType Q4KMixType(string ggufName, long rowLength, bool isOutput, int layerCount)
    {
        if (isOutput) return GgmlTypes.Fits(GgmlType.Q4_K, rowLength) ? GgmlType.Q6_K : GgmlType.Q8_0;
        var wanted = GgmlType.Q4_K;
        if ((ggufName.EndsWith(".attn_v.weight", StringComparison.Ordinal) || ggufName.EndsWith(".ffn_down.weight", StringComparison.Ordinal))
            && UsesMoreBits(LayerIndex(ggufName), layerCount))
            wanted = GgmlType.Q6_K;
        if (GgmlTypes.Fits(wanted, rowLength)) return wanted;
        var fallback = wanted == GgmlType.Q6_K ? GgmlType.Q8_0 : GgmlType.Q5_0;
        return GgmlTypes.Fits(fallback, rowLength) ? fallback : GgmlType.F16;
    }

    /// <summary>llama.cpp's use_more_bits: the first and last eighth of the layers and every third layer between.</summary>
    public static bool UsesMoreBits(int layer, int layerCount) =>
        layer < layerCount / 8 || layer >= 7 * layerCount / 8 || (layer - layerCount / 8) % 3 == 2;

    private static int LayerIndex(string ggufName)
    {
        var match = BlockName().Match(ggufName);
        return match.Success ? int.Parse(match.Groups[1].Value) : throw new ArgumentException($"tensor '{ggufName}' is not in a blk.N layer");
    }

    [GeneratedRegex(@"^blk\.(\d+)\.")]
    private static partial Regex BlockName();
}
