using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Tuneforge.Files;

namespace Tuneforge.Targets;

/// <summary>SHA-256 of file contents, memoized by (path, size, modification time) so big inputs are hashed once.</summary>
public sealed class FileHashes
{
    readonly string? storePath;
    readonly ConcurrentDictionary<string, Entry> entries;
    bool dirty;

    public FileHashes(string? storePath)
    {
        this.storePath = storePath;
        entries = new ConcurrentDictionary<string, Entry>(Load(storePath));
    }

    public string Hash(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new BuildException($"Input file '{path}' does not exist.");
        var full = info.FullName;
        var ticks = info.LastWriteTimeUtc.Ticks;
        if (entries.TryGetValue(full, out var e) && e.Size == info.Length && e.Ticks == ticks) return e.Sha256;
        using var stream = File.OpenRead(full);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        entries[full] = new Entry(info.Length, ticks, hash);
        dirty = true;
        return hash;
    }

    public void Save()
    {
        if (!dirty || storePath is null) return;
        AtomicFile.WriteAllText(storePath, JsonSerializer.Serialize(entries));
        dirty = false;
    }

    static Dictionary<string, Entry> Load(string? path)
    {
        try
        {
            return path is not null && File.Exists(path)
                ? JsonSerializer.Deserialize<Dictionary<string, Entry>>(File.ReadAllText(path)) ?? []
                : [];
        }
        catch (JsonException)
        {
            return []; // A damaged memo only costs re-hashing.
        }
    }

    public sealed record Entry(long Size, long Ticks, string Sha256);
}
