using Tuneforge.Hub.Sources;
using Tuneforge.Hub.Storage;

namespace Tuneforge.Hub.Download;

/// <summary>
/// Downloads a model repository from the Hugging Face Hub (or the mirror in HF_ENDPOINT) into the standard
/// huggingface_hub cache, so Python tools and Tuneforge share one copy. Resumes partial files, checks sizes and
/// hashes, and reuses what is cached: with everything cached it downloads no file, and a pinned commit whose
/// listing is cached needs no network at all.
/// </summary>
public sealed class HubClient : IDisposable
{
    private readonly HttpClient client;
    private readonly HubClientOptions options;
    private readonly HubHttp http;
    private readonly RetryLoop retry;

    /// <summary>Creates a client; <paramref name="handler"/> replaces the default socket handler (proxies, tests).</summary>
    public HubClient(HubSettings settings, HubClientOptions? options = null, HttpMessageHandler? handler = null)
    {
        Settings = settings;
        this.options = options ?? new HubClientOptions();
        // Redirects are followed by hand: the token must reach the Hub's host only, never a CDN.
        client = new HttpClient(handler ?? new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            ConnectTimeout = this.options.RequestTimeout,
        }, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        http = new HubHttp(client, settings, this.options);
        retry = new RetryLoop(this.options);
    }

    /// <summary>The endpoint, cache folder, token and offline switch in use.</summary>
    public HubSettings Settings { get; }

    /// <summary>The cache layout of a repository.</summary>
    public HubCacheLayout Layout(string repoId) => new(Settings.CacheDirectory, repoId);

    /// <summary>Makes the revision's model files present in the cache and returns its snapshot folder.</summary>
    /// <exception cref="HubException">Access refused, not found, unreachable, corrupt download, disk full, or not cached in offline mode.</exception>
    public async Task<HubSnapshot> DownloadAsync(HubModelSource source, HubDownloadOptions? download = null, CancellationToken cancellation = default)
    {
        download ??= new HubDownloadOptions();
        var layout = Layout(source.RepoId);

        if (Settings.Offline)
        {
            var (offline, reason) = CachedSnapshot.TryFind(layout, source, download.ExtraFiles, requireListing: false, SnapshotOrigin.Offline);
            return offline ?? throw new HubException(HubErrorKind.NotCached,
                $"HF_HUB_OFFLINE is set and {source} is not complete in the cache at {layout.StorageFolder}: {reason}. " +
                "Unset HF_HUB_OFFLINE to download it, or use a revision that is cached.");
        }

        if (source.RevisionIsCommit)
        {
            var (pinned, _) = CachedSnapshot.TryFind(layout, source, download.ExtraFiles, requireListing: true, SnapshotOrigin.CachedCommit);
            if (pinned is not null)
                return pinned;
        }

        // With a complete cached copy, fail over to it at once instead of retrying an unreachable Hub.
        var (fallback, _) = CachedSnapshot.TryFind(layout, source, download.ExtraFiles, requireListing: false, SnapshotOrigin.CacheAfterNetworkFailure);
        var context = new RequestContext(source.RepoId, source.Revision, null, $"resolving {source}");
        RevisionListing listing;
        try
        {
            listing = await retry.RunAsync(() => http.GetRevisionAsync(source, context, cancellation), null, cancellation,
                maxRetries: fallback is null ? null : 0).ConfigureAwait(false);
        }
        catch (HubException e) when (fallback is not null && e.Kind is HubErrorKind.Network or HubErrorKind.Server)
        {
            return fallback;
        }

        layout.WriteRef(source.Revision, listing.Commit);
        if (TreeCache.Read(layout, listing.Commit) is null)
            TreeCache.Write(layout, listing.Commit, listing.Files);
        return await FetchAsync(source, layout, listing, download, cancellation).ConfigureAwait(false);
    }

    /// <summary>
    /// The commit a revision points to, without downloading files: a pinned commit as is, offline the cached ref,
    /// otherwise one request to the Hub (falling back to the cached ref when the Hub cannot be reached).
    /// </summary>
    /// <exception cref="HubException">Access refused, not found, or unreachable with nothing cached.</exception>
    public async Task<string> ResolveCommitAsync(HubModelSource source, CancellationToken cancellation = default)
    {
        if (source.RevisionIsCommit)
            return source.Revision;
        var layout = Layout(source.RepoId);
        var cached = layout.ReadRef(source.Revision);
        if (Settings.Offline)
            return cached ?? throw new HubException(HubErrorKind.NotCached,
                $"HF_HUB_OFFLINE is set and the revision '{source.Revision}' of {source.RepoId} was never resolved here (no {layout.RefPath(source.Revision)}). " +
                "Unset HF_HUB_OFFLINE, or pin a cached commit with hf://org/name@<commit>.");
        var context = new RequestContext(source.RepoId, source.Revision, null, $"resolving {source}");
        try
        {
            var listing = await retry.RunAsync(() => http.GetRevisionAsync(source, context, cancellation), null, cancellation,
                maxRetries: cached is null ? null : 0).ConfigureAwait(false);
            layout.WriteRef(source.Revision, listing.Commit);
            return listing.Commit;
        }
        catch (HubException e) when (cached is not null && e.Kind is HubErrorKind.Network or HubErrorKind.Server)
        {
            return cached;
        }
    }

    private async Task<HubSnapshot> FetchAsync(HubModelSource source, HubCacheLayout layout, RevisionListing listing, HubDownloadOptions download, CancellationToken cancellation)
    {
        var commit = listing.Commit;
        var described = $"{source.RepoId}@{commit}";
        var run = new DownloadRun(download.Progress);
        var wanted = FileSelection.Metadata(listing.Files, download.ExtraFiles, described).ToList();

        string? indexPath = null;
        if (FileSelection.Index(listing.Files) is { } index)
        {
            indexPath = layout.PointerPath(commit, index.Path);
            if (!CachedSnapshot.IsPresent(indexPath, index.ContentSize))
                await EnsureFileAsync(source, layout, commit, index, run, cancellation).ConfigureAwait(false);
        }
        wanted.AddRange(FileSelection.Weights(listing.Files, indexPath, described));
        wanted = wanted.DistinctBy(f => f.Path).ToList();

        // PointerPath refuses a name that could leave the snapshot folder, before any of these files is fetched.
        var missing = wanted.Where(f => !CachedSnapshot.IsPresent(layout.PointerPath(commit, f.Path), f.ContentSize)).ToList();
        run.TotalBytes += missing.Sum(f => f.ContentSize ?? 0);
        foreach (var file in missing)
            await EnsureFileAsync(source, layout, commit, file, run, cancellation).ConfigureAwait(false);

        return CachedSnapshot.Snapshot(source, commit, layout.SnapshotFolder(commit), wanted.Select(f => f.Path).ToList(),
            SnapshotOrigin.Hub, run.Files, run.NetworkBytes);
    }

    private async Task EnsureFileAsync(HubModelSource source, HubCacheLayout layout, string commit, RepoFileInfo file, DownloadRun run, CancellationToken cancellation)
    {
        var pointer = layout.PointerPath(commit, file.Path);
        var context = new RequestContext(source.RepoId, commit, file.Path, $"downloading '{file.Path}' of {source.RepoId}@{commit}");
        var metadata = await retry.RunAsync(() => http.HeadFileAsync(source.RepoId, commit, file.Path, context, cancellation), null, cancellation)
            .ConfigureAwait(false);
        if (file.ContentSize is null)
            run.TotalBytes += metadata.Size;

        var blob = layout.BlobPath(metadata.Etag);
        if (!CachedSnapshot.IsPresent(blob, metadata.Size))
        {
            using var fileLock = await FileLock.AcquireAsync(layout.LockPath(metadata.Etag), options.LockTimeout, cancellation).ConfigureAwait(false);
            if (!CachedSnapshot.IsPresent(blob, metadata.Size)) // Another process may have finished it meanwhile.
                await DownloadBlobAsync(layout, blob, metadata, context, run, cancellation).ConfigureAwait(false);
        }
        HubCacheLayout.LinkPointer(blob, pointer, Settings.DisableSymlinks);
        run.CompleteFile(file.Path, metadata.Size);
    }

    private async Task DownloadBlobAsync(HubCacheLayout layout, string blob, FileMetadata metadata, RequestContext context, DownloadRun run, CancellationToken cancellation)
    {
        var incomplete = layout.IncompletePath(metadata.Etag);
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        var already = File.Exists(incomplete) ? new FileInfo(incomplete).Length : 0;
        var needed = Math.Max(0, metadata.Size - already);
        if (options.FreeSpaceProbe(Path.GetDirectoryName(blob)!) is { } free && free < needed)
            throw new HubException(HubErrorKind.DiskFull,
                $"Not enough disk space for '{context.File}' of {context.RepoId}: it needs {DiskSpace.Format(needed)} more, " +
                $"but the disk of {layout.CacheDirectory} has {DiskSpace.Format(free)} free. Free some space or point HF_HUB_CACHE at a larger disk.");

        var downloader = new BlobDownloader(http, options);
        string? problem;
        using (var verifier = new ContentVerifier(metadata.Etag, metadata.Size))
        await using (var stream = new FileStream(incomplete, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0))
        {
            try
            {
                await retry.RunAsync(async () =>
                {
                    await downloader.ContinueAsync(stream, verifier, metadata, context, bytes => run.Report(context.File!, bytes, metadata.Size), cancellation)
                        .ConfigureAwait(false);
                    return true;
                }, () => stream.Length, cancellation).ConfigureAwait(false);
            }
            finally
            {
                run.NetworkBytes += downloader.NetworkBytes;
            }
            problem = Verify(stream.Length, verifier, metadata);
        }
        if (problem is not null)
        {
            File.Delete(incomplete);
            throw new HubException(HubErrorKind.Integrity,
                $"Downloaded '{context.File}' of {context.RepoId}@{context.Revision} is corrupt: {problem}. The partial file was removed; " +
                $"run again to download it anew. If it happens again, the server at {HubErrors.Authority(metadata.DownloadUrl)} serves a damaged copy: " +
                "unset HF_ENDPOINT or try another mirror.");
        }
        File.Move(incomplete, blob, overwrite: true);
        run.Files++;
    }

    private static string? Verify(long length, ContentVerifier verifier, FileMetadata metadata)
    {
        if (length != metadata.Size)
            return $"it has {length} bytes but the Hub announced {metadata.Size}";
        var digest = verifier.Digest();
        return digest is null || digest == verifier.Expected
            ? null
            : $"its {verifier.HashName} is {digest} but the Hub announced {verifier.Expected}";
    }

    /// <inheritdoc />
    public void Dispose() => client.Dispose();

    /// <summary>Counters of one download call and its progress reports.</summary>
    private sealed class DownloadRun(Action<DownloadProgress>? progress)
    {
        private long completedBytes;

        public int Files { get; set; }
        public long NetworkBytes { get; set; }
        public long TotalBytes { get; set; }

        public void Report(string file, long fileBytes, long fileSize) =>
            progress?.Invoke(new DownloadProgress(file, fileBytes, fileSize, completedBytes + fileBytes, Math.Max(TotalBytes, completedBytes + fileBytes)));

        public void CompleteFile(string file, long size)
        {
            completedBytes += size;
            progress?.Invoke(new DownloadProgress(file, size, size, completedBytes, Math.Max(TotalBytes, completedBytes)));
        }
    }
}
