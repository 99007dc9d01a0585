using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tuneforge.Engine.Checkpoints;

/// <summary>
/// The weights of a Hugging Face folder: <c>model.safetensors</c>, or the shards listed by
/// <c>model.safetensors.index.json</c>. Maps every tensor name to the shard that holds it.
/// </summary>
public sealed class CheckpointFolder
{
    public const string SingleFileName = "model.safetensors";
    public const string IndexFileName = "model.safetensors.index.json";

    private CheckpointFolder(string directory, IReadOnlyDictionary<string, SafeTensorsHeader> shards,
        IReadOnlyDictionary<string, string> tensorToShard)
    {
        Directory = directory;
        Shards = shards;
        TensorToShard = tensorToShard;
    }

    public string Directory { get; }
    /// <summary>Validated header per shard file name.</summary>
    public IReadOnlyDictionary<string, SafeTensorsHeader> Shards { get; }
    public IReadOnlyDictionary<string, string> TensorToShard { get; }

    public SafeTensorsEntry Entry(string name) => Shards[TensorToShard[name]].Entries[name];

    public static CheckpointFolder Open(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new CheckpointException($"{directory}: model folder not found");
        var single = Path.Combine(directory, SingleFileName);
        var index = Path.Combine(directory, IndexFileName);
        if (File.Exists(index)) return OpenSharded(directory, index);
        if (File.Exists(single))
        {
            var header = SafeTensorsHeader.Read(single);
            return new CheckpointFolder(directory,
                new Dictionary<string, SafeTensorsHeader> { [SingleFileName] = header },
                header.Entries.Keys.ToDictionary(k => k, _ => SingleFileName, StringComparer.Ordinal));
        }
        throw new CheckpointException($"{directory}: no {SingleFileName} or {IndexFileName}",
            "Only safetensors checkpoints are read; convert .bin/.pt weights with Hugging Face's save_pretrained(safe_serialization=True).");
    }

    private static CheckpointFolder OpenSharded(string directory, string indexPath)
    {
        JsonObject index;
        try
        {
            index = JsonNode.Parse(File.ReadAllText(indexPath)) as JsonObject ?? throw Bad(indexPath, "expected a JSON object");
        }
        catch (JsonException e)
        {
            throw Bad(indexPath, $"invalid JSON at line {e.LineNumber + 1}: {e.Message}");
        }
        if (index["weight_map"] is not JsonObject weightMap) throw Bad(indexPath, "missing weight_map");

        var tensorToShard = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in weightMap)
        {
            var shard = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Bad(indexPath, $"weight_map.{name} must be a file name");
            // A shard is a file beside the index, never a path that leaves the folder.
            if (shard.Length == 0 || shard != Path.GetFileName(shard) || shard is "." or "..")
                throw Bad(indexPath, $"weight_map.{name}: '{shard}' is not a plain file name in the model folder");
            tensorToShard[name] = shard;
        }

        var shards = new Dictionary<string, SafeTensorsHeader>(StringComparer.Ordinal);
        foreach (var shard in tensorToShard.Values.Distinct().Order(StringComparer.Ordinal))
        {
            var path = Path.Combine(directory, shard);
            if (!File.Exists(path)) throw Bad(indexPath, $"shard '{shard}' is listed but not present in {directory}");
            shards[shard] = SafeTensorsHeader.Read(path);
        }
        foreach (var (name, shard) in tensorToShard)
        {
            if (!shards[shard].Entries.ContainsKey(name))
                throw Bad(indexPath, $"weight_map says '{name}' is in {shard}, but that file has no such tensor");
        }
        foreach (var (shard, header) in shards)
        {
            var unlisted = header.Entries.Keys.FirstOrDefault(k => !tensorToShard.ContainsKey(k));
            if (unlisted is not null) throw Bad(indexPath, $"{shard} holds '{unlisted}', which weight_map does not list");
        }
        return new CheckpointFolder(directory, shards, tensorToShard);
    }

    private static CheckpointException Bad(string path, string problem) => new($"{path}: {problem}");
}
