using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Tuneforge.Pipeline.Spec;

public sealed record QuantizeSpec
{
    /// <summary>Every format the Quantize stage writes.</summary>
    public static readonly IReadOnlyList<string> KnownFormats = ["merged", "int8", "int4", "gguf_f32", "gguf_f16", "gguf_bf16", "gguf_q8_0", "gguf_q4_0", "gguf_q4_k_m"];

    [Description("Outputs: merged (HF folder), int8, int4 (engine weight-only), gguf_f16, gguf_bf16, gguf_f32, gguf_q8_0, gguf_q4_0, gguf_q4_k_m.")]
    [MinLength(1)]
    public List<string> Formats { get; init; } = ["merged", "int8", "int4", "gguf_f16", "gguf_q8_0", "gguf_q4_0"];

    [Description("Group size of int4 quantization: 32, 64 or 128.")]
    [AllowedValues(32, 64, 128)]
    public int GroupSize { get; init; } = 64;

    [Description("Measure each format's perplexity and ROUGE-L change on the test split.")]
    public bool MeasureQuality { get; init; } = true;

    [Description("Score at most this many test examples when measuring quality (null = all).")]
    [Range(1, int.MaxValue)]
    public int? MaxSamples { get; init; } = 64;
}
