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
    public bool IsHit => ArtifactCache.IsValidEntry(EntryDirectory);

    /// <summary>A fresh working folder, or the previous interrupted run's when the target can resume from it.</summary>
    public string PrepareStaging(bool keepPrevious)
    {
        if (Directory.Exists(StagingDirectory) && !keepPrevious) Directory.Delete(StagingDirectory, recursive: true);
        Directory.CreateDirectory(StagingDirectory);
        return StagingDirectory;
    }

    public void Commit(IReadOnlyDictionary<string, string> summary) => cache.Commit(Key, StagingDirectory, summary);

    public void Touch()
    {
        var info = Path.Combine(EntryDirectory, CacheEntryInfo.FileName);
        if (File.Exists(info)) File.SetLastWriteTimeUtc(info, DateTime.UtcNow);
    }

    public void Dispose() => lockStream.Dispose();
}
