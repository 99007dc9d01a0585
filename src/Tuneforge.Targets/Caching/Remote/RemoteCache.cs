namespace Tuneforge.Targets;

/// <summary>The shared cache behind the local store. An entry is its manifest under ac/&lt;key&gt; and its files by
/// SHA-256 under cas/: blobs are uploaded first and the manifest last, so a manifest that exists has all its blobs; a
/// download is hashed blob by blob and committed like a computed entry. A remote that fails (refused credentials, down)
/// is reported once and left alone for the rest of the build: the build goes on with its local cache.</summary>
public sealed class RemoteCache(IRemoteStore store, CacheRemoteMode mode) : IDisposable
{
    readonly HashSet<string> damagedKeys = [];
    readonly HashSet<string> damagedBlobs = [];
    bool disabled;

    public string Description => store.Description;

    static string ManifestKey(CacheKey key) => $"ac/{key.Hash}";
    static string BlobKey(string sha256) => $"cas/{sha256}";

    /// <summary>Downloads and commits the remote's entry of the lease's key; null when it has none, or none that checks.</summary>
    public async Task<CacheEntryInfo?> DownloadAsync(CacheLease lease, CancellationToken cancellation)
    {
        if (disabled || mode == CacheRemoteMode.Off) return null;
        var committed = false;
        try
        {
            if (await ReadManifestAsync(lease.Key, cancellation) is not { } manifest) return null;
            var folder = lease.PrepareDownload();
            foreach (var file in manifest.Files!) await DownloadBlobAsync(file, Path.Combine(folder, file.Path), cancellation);
            var info = lease.CommitDownload(manifest);
            committed = true;
            return info;
        }
        catch (RemoteEntryDamagedException e)
        {
            damagedKeys.Add(lease.Key.Hash);
            Log.Warning($"The remote entry of {lease.Key.Target} ({lease.Key.Short}) on {Description} is damaged: {e.Message}; {lease.Key.Target} runs instead" +
                        (mode == CacheRemoteMode.ReadWrite ? " and its result replaces that entry." : "."));
            return null;
        }
        catch (RemoteStoreException e)
        {
            Disable(e);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException || DiskFull.Is(e))
        {
            Log.Warning($"Could not download {lease.Key.Target} ({lease.Key.Short}) from {Description}: {e.Message}; {lease.Key.Target} runs instead.");
            return null;
        }
        finally
        {
            if (!committed) lease.DiscardDownload();
        }
    }

    async Task<CacheEntryInfo?> ReadManifestAsync(CacheKey key, CancellationToken cancellation)
    {
        using var buffer = new MemoryStream();
        await using (var limited = new VerifyingStream(buffer, RemoteManifest.MaxSize))
            if (!await store.DownloadAsync(ManifestKey(key), limited, cancellation)) return null;
        return RemoteManifest.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), key);
    }

    async Task DownloadBlobAsync(EntryFile file, string destination, CancellationToken cancellation)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        string sha;
        long length;
        await using (var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
        await using (var check = new VerifyingStream(output, file.Size))
        {
            bool found;
            try
            {
                found = await store.DownloadAsync(BlobKey(file.Sha256), check, cancellation);
            }
            catch (RemoteEntryDamagedException e)
            {
                throw Damaged(file, e.Message);
            }
            if (!found) throw Damaged(file, "it is missing");
            sha = check.Sha256();
            length = check.Length;
        }
        if (length != file.Size) throw Damaged(file, $"it has {length} bytes, {file.Size} in the manifest (truncated)");
        if (sha != file.Sha256) throw Damaged(file, $"its content hashes to {sha[..12]}…");
    }

    RemoteEntryDamagedException Damaged(EntryFile file, string what)
    {
        damagedBlobs.Add(file.Sha256);
        return new RemoteEntryDamagedException($"the blob of {file.Path} (cas/{file.Sha256[..12]}…): {what}");
    }

    /// <summary>Uploads an entry the remote lacks (or had damaged): its missing blobs, then its manifest. Read-only
    /// builds do nothing.</summary>
    public async Task UploadAsync(CacheLease lease, CacheEntryInfo info, CancellationToken cancellation)
    {
        if (disabled || mode != CacheRemoteMode.ReadWrite || info.Files is null) return;
        var key = lease.Key;
        try
        {
            if (!damagedKeys.Contains(key.Hash) && await store.SizeAsync(ManifestKey(key), cancellation) is not null) return;
            var (count, bytes) = (0, 0L);
            foreach (var file in info.Files)
            {
                if (!damagedBlobs.Contains(file.Sha256) && await store.SizeAsync(BlobKey(file.Sha256), cancellation) == file.Size) continue;
                var path = Path.Combine(lease.EntryDirectory, file.Path);
                // What goes up must be what the manifest says: a file damaged since the entry was checked stays here.
                if (FileHashes.Sha256(path) != file.Sha256)
                {
                    Log.Warning($"Not uploading {key.Target} ({key.Short}) to {Description}: {file.Path} changed since its entry was written; run with --verify-cache.");
                    return;
                }
                await store.UploadFileAsync(BlobKey(file.Sha256), path, cancellation);
                (count, bytes) = (count + 1, bytes + file.Size);
            }
            await store.UploadAsync(ManifestKey(key), RemoteManifest.Serialize(info), cancellation);
            damagedKeys.Remove(key.Hash);
            Log.Information($"Uploaded {key.Target} {key.Short} to {Description}: {count} of {info.Files.Count} files ({bytes / 1048576.0:0.0} MiB); the others were there.");
        }
        catch (RemoteStoreException e)
        {
            Disable(e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Warning($"Could not upload {key.Target} ({key.Short}) to {Description}: {e.Message}");
        }
    }

    void Disable(RemoteStoreException e)
    {
        disabled = true;
        ReportUnusable(e);
    }

    internal static void ReportUnusable(RemoteStoreException e)
    {
        Log.Warning($"Remote cache: {e.Message}. The build goes on with the local cache only.");
        if (e.InnerException is { } inner) Log.FileOnly(inner.ToString());
    }

    public void Dispose() => store.Dispose();
}
