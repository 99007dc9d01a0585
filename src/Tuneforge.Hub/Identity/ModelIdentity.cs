using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Files;
using Tuneforge.Hub.Folders;
using Tuneforge.Hub.Presets;
using Tuneforge.Hub.Sources;

namespace Tuneforge.Hub.Identity;

/// <summary>
/// What a base model is, for cache keys: equal identities mean equal weights and config. A Hub model is its
/// repository and resolved commit; a local folder the SHA-256 of its files' content; a preset its name and
/// parameters.
/// </summary>
/// <param name="Kind">"hf", "local" or "preset".</param>
/// <param name="Value">The canonical text of the identity, for example <c>hf://org/name@&lt;commit&gt;</c>.</param>
public sealed record ModelIdentity(string Kind, string Value)
{
    /// <summary>The SHA-256 of <see cref="Value"/> in lower-case hex: a fixed-length key.</summary>
    public string Key => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Value)));

    /// <summary>A Hub repository at a resolved commit.</summary>
    public static ModelIdentity ForHub(string repoId, string commit)
    {
        if (!HubModelSource.IsCommitHash(commit))
            throw new ArgumentException($"'{commit}' is not a 40-character commit hash; resolve the revision first.", nameof(commit));
        var source = new HubModelSource(repoId, commit);
        return new ModelIdentity("hf", $"{ModelSource.HubScheme}{source.RepoId}@{source.Revision}");
    }

    /// <summary>
    /// A local model folder: SHA-256 over the names, sizes and content hashes of its config, weight and tokenizer
    /// files. Content hashes are memoized in <paramref name="memoFile"/> by (path, size, mtime), so a large
    /// checkpoint is read once.
    /// </summary>
    /// <exception cref="ModelFolderException">The folder is not a usable model folder.</exception>
    public static ModelIdentity ForLocalFolder(string folder, string memoFile)
    {
        var model = ModelFolder.Inspect(folder);
        var memo = ContentHashMemo.Load(memoFile);
        var manifest = new StringBuilder();
        foreach (var file in model.ContentFiles.Distinct().Order(StringComparer.Ordinal))
        {
            var (size, sha256) = memo.Hash(file);
            var name = Path.GetRelativePath(model.Path, file).Replace('\\', '/');
            manifest.Append(name).Append('\t').Append(size).Append('\t').Append(sha256).Append('\n');
        }
        memo.SaveIfChanged();
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifest.ToString())));
        return new ModelIdentity("local", $"local:sha256:{digest}");
    }

    /// <summary>A preset: its name and its parameters as canonical JSON (keys sorted, so order does not matter); for a
    /// preset with shipped weights also their SHA-256 (<c>weights_sha256</c>), so new weights are a new identity.</summary>
    public static ModelIdentity ForPreset(string name, JsonNode? parameters)
    {
        var preset = new PresetModelSource(name);
        if (ShippedPresetWeights.Find(preset.Name) is { } weights)
        {
            var withWeights = parameters?.DeepClone() as JsonObject ?? new JsonObject();
            withWeights["weights_sha256"] = weights.Sha256;
            parameters = withWeights;
        }
        var canonical = CanonicalJson.Compact(parameters);
        return new ModelIdentity("preset", $"{ModelSource.PresetScheme}{preset.Name}:{canonical}");
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}
