using System.Text.Json;

namespace Tuneforge.Targets;

/// <summary>Holds a key's lock while a target checks for an entry, or computes and commits one.</summary>
public sealed class CacheLease : IDisposable
{
    readonly ArtifactCache cache;
    readonly FileStream lockStream;

    internal CacheLease(ArtifactCache cache, CacheKey key, FileStream lockStream)
    {
        this.cache = cache;
        this.lockStream = lockStream;
        Key = key;
    }

    public CacheKey Key { get; }
    public string EntryDirectory => cache.EntryDirectory(Key);
    public string StagingDirectory => cache.StagingDirectory(Key);
    public string DownloadDirectory => cache.DownloadDirectory(Key);
    public bool IsHit => ArtifactCache.IsValidEntry(EntryDirectory);

    /// <summary>The entry's info when it exists and still holds what it recorded (<see cref="EntryCheck"/>). A damaged
    /// entry is reported with what differs, moved aside, and null is returned: it is rebuilt, never served.</summary>
    public CacheEntryInfo? IntactEntry(bool hashEveryFile)
    {
        if (!IsHit) return null;
        var (info, check) = Inspect(EntryDirectory, hashEveryFile);
        if (check.IsIntact)
        {
            // Remember the times seen now, so the next cheap check does not hash these files again.
            if (check.TimesChanged) ArtifactCache.WriteInfo(EntryDirectory, info! with { Files = check.Files });
            return info;
        }
        var aside = cache.MoveAside(Key);
        Log.Warning($"The cache entry of {Key.Target} ({Key.Short}) is damaged: {Describe(check.Problems)}. " +
                    $"It was moved aside to {aside}; {Key.Target} runs again.");
        return null;
    }

    /// <summary>Reads an entry's info and checks its files against it; an unreadable info file is damage too.</summary>
    internal static (CacheEntryInfo? Info, EntryCheck.Result Check) Inspect(string entryDirectory, bool hashEveryFile)
    {
        CacheEntryInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<CacheEntryInfo>(File.ReadAllText(Path.Combine(entryDirectory, CacheEntryInfo.FileName)));
        }
        catch (JsonException e)
        {
            return (null, new([$"its {CacheEntryInfo.FileName} is not valid JSON ({e.Message})"], [], false));
        }
        return info is null
            ? (null, new([$"its {CacheEntryInfo.FileName} is empty"], [], false))
            : (info, EntryCheck.Run(entryDirectory, info, hashEveryFile));
    }

    internal static string Describe(IReadOnlyList<string> problems) =>
        string.Join("; ", problems.Take(5)) + (problems.Count > 5 ? $"; and {problems.Count - 5} more" : "");

    /// <summary>A fresh working folder, or the previous interrupted run's when the target can resume from it.</summary>
    public string PrepareStaging(bool keepPrevious)
    {
        if (Directory.Exists(StagingDirectory) && !keepPrevious) Directory.Delete(StagingDirectory, recursive: true);
        Directory.CreateDirectory(StagingDirectory);
        return StagingDirectory;
    }

    /// <summary>An empty folder for downloading the remote's entry of this key.</summary>
    public string PrepareDownload()
    {
        DiscardDownload();
        Directory.CreateDirectory(DownloadDirectory);
        return DownloadDirectory;
    }

    public void DiscardDownload()
    {
        if (Directory.Exists(DownloadDirectory)) Directory.Delete(DownloadDirectory, recursive: true);
    }

    public void DiscardStaging()
    {
        if (Directory.Exists(StagingDirectory)) Directory.Delete(StagingDirectory, recursive: true);
    }

    public CacheEntryInfo Commit(IReadOnlyDictionary<string, string> summary) => cache.Commit(Key, StagingDirectory, summary);

    /// <summary>Commits a downloaded entry whose files were checked against <paramref name="remote"/>'s manifest.</summary>
    public CacheEntryInfo CommitDownload(CacheEntryInfo remote) =>
        cache.Commit(Key, DownloadDirectory, remote.Summary, remote.Files!.ToDictionary(f => f.Path, StringComparer.Ordinal));

    public void Touch()
    {
        var info = Path.Combine(EntryDirectory, CacheEntryInfo.FileName);
        if (File.Exists(info)) File.SetLastWriteTimeUtc(info, DateTime.UtcNow);
    }

    public void Dispose() => lockStream.Dispose();
}
