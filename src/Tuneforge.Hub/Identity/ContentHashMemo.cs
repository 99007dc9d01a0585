using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Files;

namespace Tuneforge.Hub.Identity;

/// <summary>
/// SHA-256 of files, memoized in a small JSON file by (real path, size, modification time): a 15 GB checkpoint is
/// hashed once, and again only when it changes. A missing or corrupt memo file is rebuilt, never an error.
/// </summary>
internal sealed class ContentHashMemo
{
    private const int FormatVersion = 1;
    private readonly string memoFile;
    private readonly Dictionary<string, Entry> entries;
    private bool changed;

    private ContentHashMemo(string memoFile, Dictionary<string, Entry> entries)
    {
        this.memoFile = memoFile;
        this.entries = entries;
    }

    private sealed record Entry(long Size, long MtimeTicks, string Sha256);

    public static ContentHashMemo Load(string memoFile)
    {
        var path = Path.GetFullPath(memoFile);
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        try
        {
            if (File.Exists(path) && JsonNode.Parse(File.ReadAllText(path)) is JsonObject root
                && root["format_version"]?.GetValue<int>() == FormatVersion && root["files"] is JsonObject files)
            {
                foreach (var (file, value) in files)
                    if (value is JsonObject e)
                        entries[file] = new Entry(e["size"]!.GetValue<long>(), e["mtime_ticks"]!.GetValue<long>(), e["sha256"]!.GetValue<string>());
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NullReferenceException or IOException)
        {
            entries.Clear(); // A memo is only a shortcut: start again.
        }
        return new ContentHashMemo(path, entries);
    }

    /// <summary>The size and SHA-256 of a file (following symlinks, so a Hub snapshot's blobs are hashed once).</summary>
    public (long Size, string Sha256) Hash(string file)
    {
        var info = new FileInfo(file);
        if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target)
            info = target;
        var key = info.FullName;
        var size = info.Length;
        var mtime = info.LastWriteTimeUtc.Ticks;
        if (entries.TryGetValue(key, out var known) && known.Size == size && known.MtimeTicks == mtime)
            return (size, known.Sha256);

        string digest;
        using (var stream = new FileStream(key, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20, FileOptions.SequentialScan))
            digest = Convert.ToHexStringLower(SHA256.HashData(stream));
        entries[key] = new Entry(size, mtime, digest);
        changed = true;
        return (size, digest);
    }

    /// <summary>Writes the memo (atomically) if a hash was added, dropping entries whose files are gone.</summary>
    public void SaveIfChanged()
    {
        if (!changed)
            return;
        var files = new JsonObject();
        foreach (var (file, entry) in entries.Where(e => File.Exists(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal))
            files[file] = new JsonObject { ["size"] = entry.Size, ["mtime_ticks"] = entry.MtimeTicks, ["sha256"] = entry.Sha256 };
        var root = new JsonObject { ["format_version"] = FormatVersion, ["files"] = files };
        AtomicFile.WriteAllText(memoFile, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        changed = false;
    }
}
