using Tuneforge.Hub.Sources;

namespace Tuneforge.Hub.Download;

/// <summary>A model repository resolved to a commit and present in the cache.</summary>
public sealed record HubSnapshot
{
    /// <summary>What was asked for.</summary>
    public required HubModelSource Source { get; init; }

    /// <summary>The 40-character commit the revision resolved to.</summary>
    public required string Commit { get; init; }

    /// <summary>The snapshot folder, <c>models--org--name/snapshots/&lt;commit&gt;</c>.</summary>
    public required string Folder { get; init; }

    /// <summary>The repository files selected for the model, relative to <see cref="Folder"/>.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Files fetched by this call (0 when everything was cached).</summary>
    public int DownloadedFiles { get; init; }

    /// <summary>Bytes fetched by this call.</summary>
    public long DownloadedBytes { get; init; }

    /// <summary>How the commit and the file list were found.</summary>
    public required SnapshotOrigin Origin { get; init; }
}

/// <summary>How a snapshot was resolved.</summary>
public enum SnapshotOrigin
{
    /// <summary>The Hub was asked for the revision.</summary>
    Hub,
    /// <summary>A pinned commit whose listing and files were all cached: no network at all.</summary>
    CachedCommit,
    /// <summary>HF_HUB_OFFLINE is set: the cache alone.</summary>
    Offline,
    /// <summary>The Hub could not be reached, but the revision was complete in the cache.</summary>
    CacheAfterNetworkFailure,
}
