namespace Tuneforge.Hub.Presets;

/// <summary>The weights a preset ships with in the repository, and the SHA-256 they must have.</summary>
/// <param name="Name">The preset (<c>preset:NAME</c>).</param>
/// <param name="Folder">The model folder, relative to the repository root (config.json, model.safetensors, generation_config.json).</param>
/// <param name="Sha256">The SHA-256 of its model.safetensors: part of the preset's identity, checked when it loads.</param>
public sealed record ShippedPresetWeights(string Name, string Folder, string Sha256)
{
    /// <summary>The file whose hash is <see cref="Sha256"/>.</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>Presets with shipped weights; the others are built from a seed. Rebuilding a base
    /// (eng/pretrain/) changes its hash here and in its PROVENANCE.md.</summary>
    public static IReadOnlyList<ShippedPresetWeights> All { get; } =
    [
        new("tiny-r1-base", "data/models/tiny-r1-base", "16d9fdfab24eb17831aba4db51c6dfa128bb909b47b1a70d7415a099ec60932b"),
    ];

    /// <summary>The shipped weights of <paramref name="preset"/>, or null for a preset built from a seed.</summary>
    public static ShippedPresetWeights? Find(string preset) => All.FirstOrDefault(w => w.Name == preset);
}
