using Tuneforge.Engine.Models;

namespace Tuneforge.Engine.Presets;

/// <summary>
/// The DeepSeek-R1 distills' exact shapes (config.json as published) with random weights from a seed: what makes scale
/// testable without the Hub. Token ids are those of the tokenizer each ships with: deepseek-r1's (bos 0, eos 1) for
/// the Qwen shapes, Llama 3.1's (as the real Llama distill's config) for the Llama shape.
/// </summary>
public static class ShapePresets
{
    private static readonly GenerationDefaults R1Sampling = new(DoSample: true, Temperature: 0.6, TopP: 0.95);

    /// <summary>deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B: 1.78B parameters, 3.55 GB in bfloat16, untied head.</summary>
    public static readonly ModelPreset R1DistillQwen1_5B = new(
        "r1-distill-qwen-1.5b-shape",
        "DeepSeek-R1-Distill-Qwen-1.5B's config (Qwen2, hidden 1536, 28 layers, 12 / 2 KV heads, FFN 8960, vocab 151936), random weights",
        new ModelConfig
        {
            Architecture = ModelArchitecture.Qwen2,
            VocabSize = 151_936,
            HiddenSize = 1536,
            IntermediateSize = 8960,
            NumHiddenLayers = 28,
            NumAttentionHeads = 12,
            NumKeyValueHeads = 2,
            HeadDim = 128,
            RmsNormEps = 1e-6,
            RopeTheta = 10_000,
            TieWordEmbeddings = false,
            MaxPositionEmbeddings = 131_072,
            InitializerRange = 0.02,
            BosTokenId = 0,
            EosTokenIds = [1],
        },
        R1Sampling,
        ShapeOf: "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B")
    {
        MaxShardBytes = 2L << 30,   // two shards, so the sharded path is what every size exercises
    };

    /// <summary>deepseek-ai/DeepSeek-R1-Distill-Qwen-7B: 7.6B parameters, 15.2 GB in bfloat16.</summary>
    public static readonly ModelPreset R1DistillQwen7B = R1DistillQwen1_5B with
    {
        Name = "r1-distill-qwen-7b-shape",
        Description = "DeepSeek-R1-Distill-Qwen-7B's config (Qwen2, hidden 3584, 28 layers, 28 / 4 KV heads, FFN 18944, vocab 152064), random weights",
        Config = R1DistillQwen1_5B.Config with { VocabSize = 152_064, HiddenSize = 3584, IntermediateSize = 18_944, NumAttentionHeads = 28, NumKeyValueHeads = 4 },
        ShapeOf = "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B",
        MaxShardBytes = Checkpoints.CheckpointWriter.DefaultMaxShardBytes,
    };

    /// <summary>deepseek-ai/DeepSeek-R1-Distill-Llama-8B: 8.0B parameters, 16.1 GB in bfloat16, llama3 RoPE scaling.</summary>
    public static readonly ModelPreset R1DistillLlama8B = new(
        "r1-distill-llama-8b-shape",
        "DeepSeek-R1-Distill-Llama-8B's config (Llama, hidden 4096, 32 layers, 32 / 8 KV heads, FFN 14336, vocab 128256, llama3 RoPE), random weights",
        new ModelConfig
        {
            Architecture = ModelArchitecture.Llama,
            VocabSize = 128_256,
            HiddenSize = 4096,
            IntermediateSize = 14_336,
            NumHiddenLayers = 32,
            NumAttentionHeads = 32,
            NumKeyValueHeads = 8,
            HeadDim = 128,
            RmsNormEps = 1e-5,
            RopeTheta = 500_000,
            RopeScaling = new RopeScaling("llama3", 8.0, LowFreqFactor: 1.0, HighFreqFactor: 4.0, OriginalMaxPositionEmbeddings: 8192),
            TieWordEmbeddings = false,
            MaxPositionEmbeddings = 131_072,
            InitializerRange = 0.02,
            BosTokenId = 128_000,
            EosTokenIds = [128_001, 128_008, 128_009],
        },
        R1Sampling,
        ShapeOf: "deepseek-ai/DeepSeek-R1-Distill-Llama-8B");
}
