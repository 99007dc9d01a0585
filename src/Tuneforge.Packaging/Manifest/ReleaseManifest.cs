using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Tuneforge.Files;

namespace Tuneforge.Packaging.Manifest;

/// <summary>One file of the archive as the manifest records it.</summary>
public sealed record ManifestFile(string Path, string Sha256, long Bytes);

/// <summary>
/// manifest.json: what is in the release and what made it — SHA-256 and size of every other file, the cache key of
/// every stage, tool and package versions, the git commit. Canonical JSON; no times, no absolute paths.
/// </summary>
public sealed record ReleaseManifest
{
    public const string FileName = "manifest.json";
    public const string Schema = "tuneforge.release/1";

    public required string Name { get; init; }
    public required string Version { get; init; }
    public required IReadOnlyList<ManifestFile> Files { get; init; }
    /// <summary>Stage name → cache key (SHA-256 of the stage's inputs).</summary>
    public IReadOnlyDictionary<string, string> Stages { get; init; } = new Dictionary<string, string>();
    /// <summary>Tool name → version (tuneforge, .NET runtime).</summary>
    public IReadOnlyDictionary<string, string> Tools { get; init; } = new Dictionary<string, string>();
    /// <summary>Package id → pinned version.</summary>
    public IReadOnlyDictionary<string, string> Packages { get; init; } = new Dictionary<string, string>();
    public string? GitCommit { get; init; }
    public bool? GitDirty { get; init; }

    public JsonObject ToJson() => new()
    {
        ["schema"] = Schema,
        ["name"] = Name,
        ["version"] = Version,
        ["files"] = new JsonArray(Files.OrderBy(f => f.Path, StringComparer.Ordinal).Select(f => (JsonNode)new JsonObject
        {
            ["path"] = f.Path,
            ["sha256"] = f.Sha256,
            ["bytes"] = f.Bytes,
        }).ToArray()),
        ["stages"] = Map(Stages),
        ["tools"] = Map(Tools),
        ["packages"] = Map(Packages),
        ["git"] = new JsonObject { ["commit"] = GitCommit, ["dirty"] = GitDirty },
    };

    public string ToText() => CanonicalJson.Indented(ToJson());

    /// <summary>Reads the files list of a manifest; <paramref name="source"/> names it in errors.</summary>
    public static IReadOnlyList<ManifestFile> ReadFiles(string json, string source)
    {
        try
        {
            var root = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException($"{source}: not a JSON object");
            if (root["schema"]?.GetValue<string>() != Schema) throw new InvalidDataException($"{source}: schema is not {Schema}");
            var files = root["files"] as JsonArray ?? throw new InvalidDataException($"{source}: no files list");
            return files.Select((f, i) => new ManifestFile(
                f?["path"]?.GetValue<string>() ?? throw new InvalidDataException($"{source}: files[{i}].path is missing"),
                f["sha256"]?.GetValue<string>() ?? throw new InvalidDataException($"{source}: files[{i}].sha256 is missing"),
                f["bytes"]?.GetValue<long>() ?? throw new InvalidDataException($"{source}: files[{i}].bytes is missing"))).ToList();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{source}: not a valid manifest: {e.Message}", e);
        }
    }

    public static string Sha256(Stream stream) => Convert.ToHexStringLower(SHA256.HashData(stream));

    private static JsonObject Map(IReadOnlyDictionary<string, string> values) =>
        new(values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
}
