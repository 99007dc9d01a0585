using System.Text.Json;
using Tuneforge.Files;

namespace Tuneforge.Targets;

/// <summary>The content-addressed store: <c>.nuke/cache/&lt;target&gt;/&lt;key&gt;/</c>. An entry counts only once it was
/// renamed into place with its info file, under a per-key lock, so an interrupted build never leaves a valid half entry.</summary>
public sealed class ArtifactCache(string cacheDirectory)
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string CacheDirectory { get; } = cacheDirectory;

    public string EntryDirectory(CacheKey key) => Path.Combine(CacheDirectory, key.Target, key.Hash);

    public string StagingDirectory(CacheKey key) => Path.Combine(CacheDirectory, key.Target, $".staging-{key.Hash}");

    public static bool IsValidEntry(string directory) => File.Exists(Path.Combine(directory, CacheEntryInfo.FileName));

    /// <summary>Takes the key's lock, waiting while another build computes the same key.</summary>
    public CacheLease Acquire(CacheKey key, Action<string>? onWait = null, CancellationToken cancellation = default)
    {
        var targetDirectory = Path.Combine(CacheDirectory, key.Target);
        Directory.CreateDirectory(targetDirectory);
        var lockPath = Path.Combine(targetDirectory, $".lock-{key.Hash}");
        var announced = false;
        while (true)
        {
            try
            {
                var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return new CacheLease(this, key, stream);
            }
            catch (IOException)
            {
                if (!announced) onWait?.Invoke($"Waiting for another build that computes {key.Target} ({key.Short}) ...");
                announced = true;
                Task.Delay(200, cancellation).GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>Where an entry found on the remote is downloaded before it is committed like a computed one.</summary>
    public string DownloadDirectory(CacheKey key) => Path.Combine(CacheDirectory, key.Target, $".remote-{key.Hash}");

    /// <summary>Records the files of <paramref name="staging"/> in its info file, then renames it into place (replacing
    /// the key's previous entry, if any). <paramref name="known"/>: hashes already checked (a download), not read again.</summary>
    internal CacheEntryInfo Commit(CacheKey key, string staging, IReadOnlyDictionary<string, string> summary,
        IReadOnlyDictionary<string, EntryFile>? known = null)
    {
        var info = new CacheEntryInfo(key.Target, key.Hash, DateTimeOffset.UtcNow, key.Inputs, summary, EntryFiles.Record(staging, known));
        WriteInfo(staging, info);
        var entry = EntryDirectory(key);
        string? trash = null;
        if (Directory.Exists(entry))
        {
            // A forced rerun replaces the entry: move the old one aside first, then delete it.
            trash = Path.Combine(CacheDirectory, key.Target, $".trash-{key.Hash}-{Guid.NewGuid():N}");
            Directory.Move(entry, trash);
        }
        Directory.Move(staging, entry);
        if (trash is not null) Directory.Delete(trash, recursive: true);
        return info;
    }

    /// <summary>Replaces an entry's info file in one rename, so a reader sees the old one or the new one.</summary>
    internal static void WriteInfo(string entryDirectory, CacheEntryInfo info) =>
        AtomicFile.WriteAllText(Path.Combine(entryDirectory, CacheEntryInfo.FileName), JsonSerializer.Serialize(info, Json));

    /// <summary>Moves a damaged entry out of its key's place in one rename (kept for inspection until Prune), so it is never
    /// served and never looks valid half-removed.</summary>
    internal string MoveAside(CacheKey key)
    {
        var aside = Path.Combine(CacheDirectory, key.Target, $".damaged-{key.Hash}-{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.Move(EntryDirectory(key), aside);
        return aside;
    }

    /// <summary>Shows an entry at a stable path (artifacts/&lt;pipeline&gt;/&lt;stage&gt;): a relative link, replaced atomically.</summary>
    public static void Publish(string entryDirectory, string viewPath)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(viewPath))!;
        Directory.CreateDirectory(parent);
        var relative = Path.GetRelativePath(parent, entryDirectory);
        if (!OperatingSystem.IsWindows())
        {
            var temporary = Path.Combine(parent, $".{Path.GetFileName(viewPath)}.{Guid.NewGuid():N}");
            File.CreateSymbolicLink(temporary, relative);
            if (Directory.Exists(viewPath) && new DirectoryInfo(viewPath).LinkTarget is null) Directory.Delete(viewPath, recursive: true);
            // rename(2) swaps the link in one step; File.Move refuses a destination that resolves to a folder.
            if (Rename(temporary, viewPath) != 0)
            {
                File.Delete(temporary);
                throw new IOException($"Cannot publish {viewPath}: rename failed (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}).");
            }
            return;
        }
        // Windows without developer mode cannot make links: show a copy.
        if (Directory.Exists(viewPath)) Directory.Delete(viewPath, recursive: true);
        CopyDirectory(entryDirectory, viewPath);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    static extern int Rename(string oldPath, string newPath);

    static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
