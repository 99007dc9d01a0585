using Tuneforge.Engine.Models;

namespace Tuneforge.Engine.Presets;

/// <summary>A named model made from a config and a seed instead of a checkpoint (<c>preset:NAME</c>).</summary>
public sealed record ModelPreset(string Name, string Description, ModelConfig Config, GenerationDefaults Generation)
{
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

    public static IReadOnlyList<ModelPreset> All { get; } = [TinyR1];

    public static ModelPreset Get(string name) =>
        All.FirstOrDefault(p => p.Name == name)
        ?? throw new Runtime.EngineException($"unknown preset '{name}'", $"Known presets: {string.Join(", ", All.Select(p => p.Name))}.");
}
