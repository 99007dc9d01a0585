using Tuneforge.Engine.Models;
using Tuneforge.Hub.Presets;

namespace Tuneforge.Engine.Presets;

/// <summary>A named model (<c>preset:NAME</c>): made from a config and a seed, or loaded from weights shipped with the repository.</summary>
/// <param name="Weights">The shipped weights; null for random weights from <c>model.preset_seed</c>.</param>
/// <param name="ShapeOf">The published model whose config.json a real-size shape copies (its weights are random); such a
/// preset is written to disk with <c>tuneforge-engine init</c> and loaded from there, never built in memory.</param>
public sealed record ModelPreset(string Name, string Description, ModelConfig Config, GenerationDefaults Generation, ShippedPresetWeights? Weights = null,
    string? ShapeOf = null)
{
    /// <summary>Shards of this size are written, as Hugging Face's save_pretrained does.</summary>
    public long MaxShardBytes { get; init; } = Checkpoints.CheckpointWriter.DefaultMaxShardBytes;

    /// <summary>The folder under <c>data/tokenizers/</c> whose files ship with the model (the presets' one list is the Hub's).</summary>
    public string TokenizerName => new Hub.Sources.PresetModelSource(Name).TokenizerFolder
        ?? throw new InvalidOperationException($"preset '{Name}' has no tokenizer in PresetModelSource.TokenizerFolders");
}

/// <summary>generation_config.json of a preset.</summary>
public sealed record GenerationDefaults(bool DoSample, double Temperature, double TopP);

public static class ModelPresets
{
    /// <summary>
    /// Qwen2 architecture with DeepSeek-R1's tokenizer and vocabulary (129,280 rows as in the real configs), tied
    /// embeddings, and ~3.2M parameters besides them: small enough to train in CI on two cores.
    /// </summary>
    public static readonly ModelPreset TinyR1 = new(
        "tiny-r1",
        "Qwen2-shaped, hidden 256, 4 layers, 4 heads / 2 KV heads, DeepSeek-R1 vocabulary, random weights",
        new ModelConfig
        {
            Architecture = ModelArchitecture.Qwen2,
            VocabSize = 129_280,
            HiddenSize = 256,
            IntermediateSize = 768,
            NumHiddenLayers = 4,
            NumAttentionHeads = 4,
            NumKeyValueHeads = 2,
            HeadDim = 64,
            RmsNormEps = 1e-6,
            RopeTheta = 10_000,
            TieWordEmbeddings = true,
            MaxPositionEmbeddings = 4096,
            InitializerRange = 0.02,
            BosTokenId = 0,
            EosTokenIds = [1],
        },
        new GenerationDefaults(DoSample: true, Temperature: 0.6, TopP: 0.95));

    /// <summary>
    /// tiny-r1 at half the width (hidden 128, 2 x 32-dim KV heads, FFN 384): about half the cost per token, since the
    /// 129,280-row LM head is most of it, and 33 MB in bfloat16. Random weights; the shape pretraining starts from.
    /// </summary>
    public static readonly ModelPreset TinyR1Narrow = TinyR1 with
    {
        Name = "tiny-r1-128",
        Description = "Qwen2-shaped, hidden 128, 4 layers, 4 heads / 2 KV heads, DeepSeek-R1 vocabulary, random weights",
        Config = TinyR1.Config with { HiddenSize = 128, IntermediateSize = 384, HeadDim = 32 },
    };

    /// <summary>
    /// tiny-r1-128 pretrained on Debian's Chinese and English documentation, then trained to answer questions on Q/A made
    /// from its man pages and FAQ (eng/pretrain/, data/models/tiny-r1-base/PROVENANCE.md): the embedded default's base.
    /// </summary>
    public static readonly ModelPreset TinyR1Base = TinyR1Narrow with
    {
        Name = "tiny-r1-base",
        Description = "tiny-r1-128 pretrained on Debian's Chinese and English documentation, then instruction-tuned on Q/A from it (data/models/tiny-r1-base)",
        Weights = ShippedPresetWeights.Find("tiny-r1-base"),
    };

    public static IReadOnlyList<ModelPreset> All { get; } =
        [TinyR1, TinyR1Narrow, TinyR1Base, ShapePresets.R1DistillQwen1_5B, ShapePresets.R1DistillQwen7B, ShapePresets.R1DistillLlama8B];

    public static ModelPreset Get(string name) =>
        All.FirstOrDefault(p => p.Name == name)
        ?? throw new Runtime.EngineException($"unknown preset '{name}'", $"Known presets: {string.Join(", ", All.Select(p => p.Name))}.");
}
