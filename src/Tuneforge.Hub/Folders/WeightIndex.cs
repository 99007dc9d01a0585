using System.Text.Json;

namespace Tuneforge.Hub.Folders;

/// <summary>Reads the shard names of a <c>model.safetensors.index.json</c> (its <c>weight_map</c> values).</summary>
public static class WeightIndex
{
    /// <summary>The distinct shard file names, sorted; each a plain relative path inside the folder.</summary>
    /// <exception cref="ModelFolderException">The file is not valid JSON, has no weight_map, or names a path outside the folder.</exception>
    public static IReadOnlyList<string> ReadShardNames(string indexFile)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(indexFile));
        }
        catch (JsonException e)
        {
            throw new ModelFolderException(indexFile,
                $"{indexFile}:{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}: not valid JSON ({FirstSentence(e.Message)}).");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("weight_map", out var map)
                || map.ValueKind != JsonValueKind.Object)
                throw new ModelFolderException(indexFile, $"{indexFile}: no \"weight_map\" object mapping tensor names to shard files.");

            var shards = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var entry in map.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                    throw new ModelFolderException(indexFile, $"{indexFile}: weight_map[\"{entry.Name}\"] is not a file name string.");
                var shard = entry.Value.GetString()!;
                if (!RepoPaths.IsSafeRelativePath(shard) || !shard.EndsWith(".safetensors", StringComparison.Ordinal))
                    throw new ModelFolderException(indexFile,
                        $"{indexFile}: weight_map[\"{entry.Name}\"] = \"{shard}\" is not a .safetensors file inside the model folder.");
                shards.Add(shard);
            }
            if (shards.Count == 0)
                throw new ModelFolderException(indexFile, $"{indexFile}: \"weight_map\" is empty.");
            return shards.ToList();
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }
}
