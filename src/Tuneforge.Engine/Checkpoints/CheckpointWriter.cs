using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Checkpoints;

/// <summary>
/// Writes named tensors as Hugging Face does: one <c>model.safetensors</c>, or shards
/// <c>model-00001-of-00003.safetensors</c> plus <c>model.safetensors.index.json</c> when they exceed the shard size.
/// </summary>
public static class CheckpointWriter
{
    public const long DefaultMaxShardBytes = 5L * 1024 * 1024 * 1024;

    /// <summary>Writes <paramref name="tensors"/> into <paramref name="directory"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Save(string directory, IReadOnlyDictionary<string, Tensor> tensors, long maxShardBytes = DefaultMaxShardBytes)
    {
        Directory.CreateDirectory(directory);
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        var shards = new List<List<string>> { new() };
        long shardBytes = 0;
        foreach (var name in names)
        {
            var bytes = tensors[name].NumberOfElements * tensors[name].ElementSize;
            if (shards[^1].Count > 0 && shardBytes + bytes > maxShardBytes)
            {
                shards.Add([]);
                shardBytes = 0;
            }
            shards[^1].Add(name);
            shardBytes += bytes;
        }

        // Stale weights from an earlier save would be read back with the new ones.
        foreach (var stale in Directory.EnumerateFiles(directory, "model*.safetensors*")) File.Delete(stale);
        if (shards.Count == 1)
        {
            var path = Path.Combine(directory, CheckpointFolder.SingleFileName);
            SafeTensorsWriter.Write(path, names.Select(n => KeyValuePair.Create(n, tensors[n])));
            return [path];
        }

        var written = new List<string>();
        var weightMap = new JsonObject();
        for (var i = 0; i < shards.Count; i++)
        {
            var file = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
            var path = Path.Combine(directory, file);
            SafeTensorsWriter.Write(path, shards[i].Select(n => KeyValuePair.Create(n, tensors[n])));
            foreach (var name in shards[i]) weightMap[name] = file;
            written.Add(path);
        }
        var totalSize = names.Sum(n => tensors[n].NumberOfElements * tensors[n].ElementSize);
        var index = new JsonObject
        {
            ["metadata"] = new JsonObject { ["total_size"] = totalSize },
            ["weight_map"] = new JsonObject(weightMap.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))),
        };
        var indexPath = Path.Combine(directory, CheckpointFolder.IndexFileName);
        File.WriteAllText(indexPath, index.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        written.Add(indexPath);
        return written;
    }
}
