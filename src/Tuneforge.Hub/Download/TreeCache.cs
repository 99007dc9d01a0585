using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Files;

namespace Tuneforge.Hub.Download;

/// <summary>
/// huggingface_hub's on-disk listing of a commit's files (<c>trees/&lt;commit&gt;.json</c>, format_version 1):
/// a commit never changes, so with it a pinned revision needs no network at all.
/// </summary>
internal static class TreeCache
{
    private const int FormatVersion = 1;

    public static IReadOnlyList<RepoFileInfo>? Read(HubCacheLayout layout, string commit)
    {
        var path = layout.TreePath(commit);
        if (!File.Exists(path))
            return null;
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path));
            if (root?["format_version"]?.GetValue<int>() != FormatVersion || root["files"] is not JsonObject files)
                return null;
            return files.Select(entry => new RepoFileInfo(
                entry.Key,
                entry.Value!["size"]!.GetValue<long>(),
                entry.Value["blob_id"]!.GetValue<string>(),
                entry.Value["lfs_sha256"]?.GetValue<string>(),
                entry.Value["lfs_size"]?.GetValue<long>())).ToList();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NullReferenceException or IOException)
        {
            return null; // A corrupt listing is re-fetched, as huggingface_hub does.
        }
    }

    public static void Write(HubCacheLayout layout, string commit, IReadOnlyList<RepoFileInfo> files)
    {
        if (files.Any(f => !f.IsComplete))
            return;
        var entries = new JsonObject();
        foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            var info = new JsonObject { ["size"] = file.Size, ["blob_id"] = file.BlobId };
            if (file.LfsSha256 is not null)
            {
                info["lfs_sha256"] = file.LfsSha256;
                info["lfs_size"] = file.LfsSize;
            }
            entries[file.Path] = info;
        }
        var root = new JsonObject { ["format_version"] = FormatVersion, ["files"] = entries };
        AtomicFile.WriteAllText(layout.TreePath(commit), root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
