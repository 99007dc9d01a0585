namespace Tuneforge.Targets;

/// <summary>An entry a cached target can be served from: the local one if it is intact, else the remote's, downloaded.</summary>
internal sealed record CacheHit(CacheEntryInfo Info, bool FromRemote)
{
    public static async Task<CacheHit?> FindAsync(CacheLease lease, bool hashEveryFile, RemoteCache? remote, CancellationToken cancellation)
    {
        if (lease.IntactEntry(hashEveryFile) is { } local) return new CacheHit(local, FromRemote: false);
        return remote is not null && await remote.DownloadAsync(lease, cancellation) is { } downloaded ? new CacheHit(downloaded, FromRemote: true) : null;
    }
}
