using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Files;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Checkpoints;

/// <summary>
/// Writes named tensors as Hugging Face does: one <c>model.safetensors</c>, or shards
/// <c>model-00001-of-00003.safetensors</c> plus <c>model.safetensors.index.json</c> when they exceed the shard size.
/// Every save is streamed: the files are laid out from names, dtypes and shapes first, then each tensor's bytes go
/// to their place as it is produced, so a writer never needs more than one tensor in memory.
/// </summary>
public static class CheckpointWriter
{
    public const long DefaultMaxShardBytes = 5L * 1024 * 1024 * 1024;

    /// <summary>Writes <paramref name="tensors"/> into <paramref name="directory"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Save(string directory, IReadOnlyDictionary<string, Tensor> tensors, long maxShardBytes = DefaultMaxShardBytes)
    {
        var layout = tensors.Select(t => TensorLayout.Of(t.Key, t.Value)).ToList();
        return SaveStreamed(directory, layout, write =>
        {
            foreach (var name in tensors.Keys.Order(StringComparer.Ordinal)) write(name, tensors[name]);
        }, maxShardBytes);
    }

    /// <summary>
    /// Writes a checkpoint whose tensors <paramref name="produce"/> hands over one at a time, in any order, by calling
    /// its argument once per entry of <paramref name="layout"/> (the tensor may be disposed right after). Files and
    /// bytes are those <see cref="Save"/> writes for the same tensors.
    /// </summary>
    public static IReadOnlyList<string> SaveStreamed(string directory, IReadOnlyList<TensorLayout> layout, Action<Action<string, Tensor>> produce,
        long maxShardBytes = DefaultMaxShardBytes)
    {
        Directory.CreateDirectory(directory);
        var plan = CheckpointPlan.Create(layout, maxShardBytes);
        // Stale weights from an earlier save would be read back with the new ones.
        foreach (var stale in Directory.EnumerateFiles(directory, "model*.safetensors*")) File.Delete(stale);

        var files = plan.Shards.Select(s => new StreamedSafeTensorsFile(Path.Combine(directory, s.File), s.Tensors)).ToList();
        try
        {
            var fileOf = new Dictionary<string, StreamedSafeTensorsFile>(StringComparer.Ordinal);
            foreach (var file in files)
                foreach (var name in file.Names) fileOf[name] = file;
            produce((name, tensor) =>
            {
                if (!fileOf.TryGetValue(name, out var file)) throw new InvalidOperationException($"tensor '{name}' is not in the checkpoint's layout");
                file.Write(name, tensor);
            });
            foreach (var file in files) file.Commit();
        }
        finally
        {
            foreach (var file in files) file.Dispose();
        }

        var written = files.Select(f => f.Path).ToList();
        if (plan.IndexJson() is { } index)
        {
            var indexPath = Path.Combine(directory, CheckpointFolder.IndexFileName);
            AtomicFile.WriteAllText(indexPath, index.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            written.Add(indexPath);
        }
        return written;
    }
}

/// <summary>Which tensor goes into which file: names sorted, a new shard when the next tensor would pass the shard size.</summary>
public sealed record CheckpointPlan(IReadOnlyList<(string File, IReadOnlyList<TensorLayout> Tensors)> Shards)
{
    public static CheckpointPlan Create(IReadOnlyList<TensorLayout> layout, long maxShardBytes = CheckpointWriter.DefaultMaxShardBytes)
    {
        var sorted = SafeTensorsWriter.Sorted(layout, t => t.Name);
        var groups = new List<List<TensorLayout>> { new() };
        long shardBytes = 0;
        foreach (var tensor in sorted)
        {
            if (groups[^1].Count > 0 && shardBytes + tensor.Bytes > maxShardBytes)
            {
                groups.Add([]);
                shardBytes = 0;
            }
            groups[^1].Add(tensor);
            shardBytes += tensor.Bytes;
        }
        if (groups.Count == 1) return new CheckpointPlan([(CheckpointFolder.SingleFileName, groups[0])]);
        return new CheckpointPlan(groups.Select((g, i) => ($"model-{i + 1:D5}-of-{groups.Count:D5}.safetensors", (IReadOnlyList<TensorLayout>)g)).ToList());
    }

    public long TotalBytes => Shards.Sum(s => s.Tensors.Sum(t => t.Bytes));

    /// <summary>model.safetensors.index.json as Hugging Face writes it; null for a single file.</summary>
    public JsonObject? IndexJson()
    {
        if (Shards.Count == 1) return null;
        var weightMap = Shards.SelectMany(s => s.Tensors.Select(t => (t.Name, s.File))).OrderBy(p => p.Name, StringComparer.Ordinal);
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["total_size"] = TotalBytes },
            ["weight_map"] = new JsonObject(weightMap.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)p.File))),
        };
    }
}
