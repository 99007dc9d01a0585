namespace Tuneforge.Targets;

/// <summary>Removes old cache entries (keeping the newest N per target and any entry a view points at)
/// and the working folders of runs that are no longer running, and damaged entries that were moved aside.</summary>
public static class CachePruner
{
    public sealed record Result(int EntriesRemoved, int StagingRemoved, long BytesFreed);

    public static Result Prune(string cacheDirectory, int keep, IReadOnlySet<string> protectedEntries)
    {
        if (!Directory.Exists(cacheDirectory)) return new Result(0, 0, 0);
        int entries = 0, staging = 0;
        long bytes = 0;
        foreach (var targetDirectory in Directory.EnumerateDirectories(cacheDirectory))
        {
            var committed = Directory.EnumerateDirectories(targetDirectory)
                .Where(ArtifactCache.IsValidEntry)
                .OrderByDescending(d => File.GetLastWriteTimeUtc(Path.Combine(d, CacheEntryInfo.FileName)))
                .ToList();
            foreach (var entry in committed.Skip(keep).Where(e => !protectedEntries.Contains(Path.GetFullPath(e))))
            {
                if (!TryWithLock(targetDirectory, Path.GetFileName(entry), () => bytes += Delete(entry))) continue;
                entries++;
            }
            foreach (var leftover in LeftoverPatterns.SelectMany(pattern => Directory.EnumerateDirectories(targetDirectory, pattern)))
            {
                var key = Path.GetFileName(leftover).Split('-')[1];
                if (TryWithLock(targetDirectory, key, () => bytes += Delete(leftover))) staging++;
            }
        }
        return new Result(entries, staging, bytes);
    }

    // Working folders, replaced entries, damaged entries moved aside, unfinished downloads: ".<kind>-<key>[-...]".
    static readonly string[] LeftoverPatterns = [".staging-*", ".trash-*", ".damaged-*", ".remote-*"];

    // A running build holds the key's lock: its entry or working folder is left alone.
    static bool TryWithLock(string targetDirectory, string key, Action action)
    {
        var lockPath = Path.Combine(targetDirectory, $".lock-{key}");
        try
        {
            using var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            action();
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    static long Delete(string directory)
    {
        var size = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Directory.Delete(directory, recursive: true);
        return size;
    }
}
