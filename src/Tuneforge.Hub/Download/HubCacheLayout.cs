using System.Text.RegularExpressions;
using Tuneforge.Files;
using Tuneforge.Hub.Folders;
using Tuneforge.Hub.Sources;

namespace Tuneforge.Hub.Download;

/// <summary>
/// The huggingface_hub cache layout of one model repository, shared with Python tools:
/// <c>models--org--name/{blobs/&lt;etag&gt;, snapshots/&lt;commit&gt;/&lt;file&gt;, refs/&lt;revision&gt;, trees/&lt;commit&gt;.json}</c>.
/// </summary>
public sealed partial class HubCacheLayout
{
    /// <summary>Creates the layout for <paramref name="repoId"/> under a hub cache folder.</summary>
    public HubCacheLayout(string cacheDirectory, string repoId)
    {
        CacheDirectory = Path.GetFullPath(cacheDirectory);
        RepoFolderName = "models--" + repoId.Replace("/", "--", StringComparison.Ordinal);
        StorageFolder = Path.Combine(CacheDirectory, RepoFolderName);
    }

    /// <summary>The hub cache folder.</summary>
    public string CacheDirectory { get; }

    /// <summary><c>models--org--name</c>.</summary>
    public string RepoFolderName { get; }

    /// <summary>The repository's folder in the cache.</summary>
    public string StorageFolder { get; }

    /// <summary>The snapshot folder of a commit: the model folder the engine loads.</summary>
    public string SnapshotFolder(string commit) => Path.Combine(StorageFolder, "snapshots", commit);

    /// <summary>The file of a snapshot (a symlink to its blob, or a copy).</summary>
    public string PointerPath(string commit, string repoFile)
    {
        if (!RepoPaths.IsSafeRelativePath(repoFile))
            throw new HubException(HubErrorKind.Protocol, $"The Hub listed a file named '{repoFile}', which is not a safe relative path; refusing to write it.");
        return Path.Combine(SnapshotFolder(commit), Path.Combine(repoFile.Split('/')));
    }

    /// <summary>The content-addressed blob of an ETag.</summary>
    public string BlobPath(string etag) => Path.Combine(StorageFolder, "blobs", CheckEtag(etag));

    /// <summary>The partial download of a blob, resumed with HTTP Range.</summary>
    public string IncompletePath(string etag) => BlobPath(etag) + ".incomplete";

    /// <summary>The lock taken while a blob is downloaded.</summary>
    public string LockPath(string etag) => Path.Combine(CacheDirectory, ".locks", RepoFolderName, CheckEtag(etag) + ".lock");

    /// <summary>The file recording which commit a branch or tag pointed to.</summary>
    public string RefPath(string revision) => Path.Combine(StorageFolder, "refs", Path.Combine(revision.Split('/')));

    /// <summary>The cached file listing of a commit (huggingface_hub's tree cache).</summary>
    public string TreePath(string commit) => Path.Combine(StorageFolder, "trees", commit + ".json");

    /// <summary>The commit a branch or tag pointed to when last resolved, or null.</summary>
    public string? ReadRef(string revision)
    {
        var path = RefPath(revision);
        if (!File.Exists(path))
            return null;
        var commit = File.ReadAllText(path).Trim();
        return HubModelSource.IsCommitHash(commit) ? commit.ToLowerInvariant() : null;
    }

    /// <summary>Records that <paramref name="revision"/> resolved to <paramref name="commit"/> (atomic, skipped when unchanged).</summary>
    public void WriteRef(string revision, string commit)
    {
        if (revision == commit || ReadRef(revision) == commit)
            return;
        AtomicFile.WriteAllText(RefPath(revision), commit);
    }

    /// <summary>Points a snapshot file at its blob: a relative symlink, or a copy where symlinks are unavailable.</summary>
    public static void LinkPointer(string blobPath, string pointerPath, bool disableSymlinks)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(pointerPath)!);
        if (File.Exists(pointerPath) || new FileInfo(pointerPath).LinkTarget is not null)
            File.Delete(pointerPath);
        if (!disableSymlinks)
        {
            try
            {
                var relative = Path.GetRelativePath(Path.GetDirectoryName(pointerPath)!, blobPath);
                File.CreateSymbolicLink(pointerPath, relative);
                return;
            }
            catch (IOException) when (PointsTo(pointerPath, blobPath))
            {
                return; // Another process linked it in the meantime.
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Symlinks unavailable (Windows without developer mode, some mounts): fall back to a copy.
            }
        }
        AtomicFile.Write(pointerPath, stream =>
        {
            using var blob = File.OpenRead(blobPath);
            blob.CopyTo(stream);
        });
    }

    private static bool PointsTo(string pointerPath, string blobPath) =>
        new FileInfo(pointerPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName == Path.GetFullPath(blobPath);

    private static string CheckEtag(string etag) =>
        EtagPattern().IsMatch(etag)
            ? etag
            : throw new HubException(HubErrorKind.Protocol, $"The server sent an ETag '{etag}' that cannot name a cache file; is HF_ENDPOINT a Hugging Face Hub or mirror?");

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex EtagPattern();
}
