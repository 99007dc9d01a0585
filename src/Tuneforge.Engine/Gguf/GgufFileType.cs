namespace Tuneforge.Engine.Gguf;

/// <summary>
/// What a GGUF export stores, named as llama.cpp's <c>general.file_type</c> (llama_ftype) and its quantize tool
/// (F32, F16, BF16, Q8_0, Q4_0). Norms and biases stay F32 in every type, as in llama.cpp.
/// </summary>
public enum GgufFileType
{
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q8_0 = 7,
    BF16 = 32,
}

public static class GgufFileTypes
{
    /// <summary>Parses f32, f16, bf16, q8_0, q4_0 (any case, with or without a <c>gguf_</c> prefix).</summary>
    public static GgufFileType Parse(string text) => text.Trim().ToLowerInvariant().Replace("gguf_", "") switch
    {
        "f32" => GgufFileType.F32,
        "f16" => GgufFileType.F16,
        "bf16" => GgufFileType.BF16,
        "q8_0" => GgufFileType.Q8_0,
        "q4_0" => GgufFileType.Q4_0,
        _ => throw new ArgumentException($"GGUF type '{text}' is not supported; use f32, f16, bf16, q8_0 or q4_0"),
    };

    public static string Name(GgufFileType type) => type.ToString().ToLowerInvariant();

    /// <summary>
    /// The ggml type of one tensor. Quantized files quantize matrices whose rows are whole blocks (else F16); Q4_0
    /// keeps the output layer (or the tied embedding, which serves as it) at Q8_0, because 4 bits there cost the most
    /// quality, as llama.cpp's quantize keeps it at 6 bits.
    /// </summary>
    public static GgmlType TensorType(GgufFileType file, string ggufName, long[] dims, bool tiedEmbedding)
    {
        if (dims.Length == 1) return GgmlType.F32;
        var isOutput = ggufName == "output.weight" || (tiedEmbedding && ggufName == "token_embd.weight");
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
}
