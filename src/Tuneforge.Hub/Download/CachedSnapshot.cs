using Tuneforge.Hub.Folders;
using Tuneforge.Hub.Sources;

namespace Tuneforge.Hub.Download;

/// <summary>Finds a revision that is complete in the cache, without the network.</summary>
internal static class CachedSnapshot
{
    /// <summary>The cached snapshot of <paramref name="source"/>, or null with the reason it is not usable.</summary>
    /// <param name="requireListing">Only trust a cached file listing (trees/), not a folder inspection.</param>
    public static (HubSnapshot? Snapshot, string Reason) TryFind(
        HubCacheLayout layout, HubModelSource source, IReadOnlyList<string> extraPatterns, bool requireListing, SnapshotOrigin origin)
    {
        var commit = source.RevisionIsCommit ? source.Revision : layout.ReadRef(source.Revision);
        if (commit is null)
            return (null, $"the revision '{source.Revision}' was never resolved here (no refs/{source.Revision})");
        var folder = layout.SnapshotFolder(commit);
        if (!Directory.Exists(folder))
            return (null, $"there is no snapshot of commit {commit}");

        var listing = TreeCache.Read(layout, commit);
        if (listing is null)
            return requireListing ? (null, $"the file listing of commit {commit} is not cached") : FromFolder(source, commit, folder, origin);

        var described = $"{source.RepoId}@{commit}";
        var wanted = FileSelection.Metadata(listing, extraPatterns, described).ToList();
        if (FileSelection.Index(listing) is { } index)
        {
            var indexPath = layout.PointerPath(commit, index.Path);
            if (!IsPresent(indexPath, index.ContentSize))
                return (null, $"snapshot {commit} lacks {index.Path}");
            wanted.AddRange(FileSelection.Weights(listing, indexPath, described));
        }
        else
            wanted.AddRange(FileSelection.Weights(listing, null, described));

        var missing = wanted.Where(f => !IsPresent(layout.PointerPath(commit, f.Path), f.ContentSize)).Select(f => f.Path).ToList();
        if (missing.Count > 0)
            return (null, $"snapshot {commit} lacks {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", …" : "")}");
        return (Snapshot(source, commit, folder, wanted.Select(f => f.Path).Distinct().ToList(), origin), "");
    }

    /// <summary>True when a snapshot file (following its symlink) exists with the expected size.</summary>
    public static bool IsPresent(string pointerPath, long? expectedSize)
    {
        if (!File.Exists(pointerPath))
            return false;
        if (expectedSize is null)
            return true;
        var info = new FileInfo(pointerPath);
        var target = info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo;
        return target is { Exists: true } && target.Length == expectedSize;
    }

    public static HubSnapshot Snapshot(HubModelSource source, string commit, string folder, IReadOnlyList<string> files, SnapshotOrigin origin,
        int downloadedFiles = 0, long downloadedBytes = 0) => new()
    {
        Source = source,
        Commit = commit,
        Folder = folder,
        Files = files,
        Origin = origin,
        DownloadedFiles = downloadedFiles,
        DownloadedBytes = downloadedBytes,
    };

    private static (HubSnapshot?, string) FromFolder(HubModelSource source, string commit, string folder, SnapshotOrigin origin)
    {
        try
        {
            var model = ModelFolder.Inspect(folder);
            var files = model.ContentFiles.Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).ToList();
            return (Snapshot(source, commit, folder, files, origin), "");
        }
        catch (ModelFolderException e)
        {
            return (null, e.Message);
        }
    }
}
