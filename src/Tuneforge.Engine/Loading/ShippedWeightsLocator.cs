using System.Security.Cryptography;
using Tuneforge.Engine.Runtime;
using Tuneforge.Hub.Presets;

namespace Tuneforge.Engine.Loading;

/// <summary>Finds a preset's shipped model folder and checks that its weights are the ones its identity names, so a
/// cache key never stands for other weights (a Git LFS pointer, a half copy, a rebuilt base).</summary>
public static class ShippedWeightsLocator
{
    public static string Find(ShippedPresetWeights weights)
    {
        var folder = ShippedFolder.Find(Path.Combine("models", weights.Name), weights.Folder, ShippedPresetWeights.WeightsFile)
            ?? throw new EngineException($"the weights of preset:{weights.Name} were not found ({weights.Folder}/{ShippedPresetWeights.WeightsFile} above the engine and the current folder)",
                $"Run from a checkout of the repository, or rebuild them with eng/pretrain/build-tiny-r1-base.sh --publish.");
        var path = Path.Combine(folder, ShippedPresetWeights.WeightsFile);
        var actual = Sha256(path);
        if (actual != weights.Sha256)
            throw new EngineException($"{path}: SHA-256 {actual} is not the {weights.Sha256} that preset:{weights.Name} names",
                "Restore the file from the repository (git checkout -- it; a Git LFS pointer needs `git lfs pull`), or after rebuilding the base put its hash into src/Tuneforge.Hub/Presets/ShippedPresetWeights.cs.");
        return folder;
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
