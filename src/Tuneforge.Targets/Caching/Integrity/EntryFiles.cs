namespace Tuneforge.Targets;

/// <summary>Lists and hashes the files of an entry folder, in one order (ordinal by relative path) on every machine.</summary>
public static class EntryFiles
{
    /// <summary>Every file under <paramref name="directory"/> but the info file, hashed unless <paramref name="known"/>
    /// already holds its hash for the same size (files just downloaded and checked).</summary>
    public static IReadOnlyList<EntryFile> Record(string directory, IReadOnlyDictionary<string, EntryFile>? known = null) =>
        List(directory).Select(file =>
        {
            var info = new FileInfo(file.FullPath);
            var sha = known?.GetValueOrDefault(file.Path) is { } k && k.Size == info.Length ? k.Sha256 : FileHashes.Sha256(file.FullPath);
            return new EntryFile(file.Path, info.Length, sha) { ModifiedTicks = info.LastWriteTimeUtc.Ticks };
        }).ToList();

    /// <summary>The entry's files (relative path with '/', full path); the info file and its temporary copies, beside it
    /// while it is rewritten, are not the entry's.</summary>
    public static IEnumerable<(string Path, string FullPath)> List(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => (Path: System.IO.Path.GetRelativePath(directory, f).Replace('\\', '/'), FullPath: f))
            .Where(f => f.Path.Contains('/') || !f.Path.Contains(CacheEntryInfo.FileName, StringComparison.Ordinal))
            .OrderBy(f => f.Path, StringComparer.Ordinal);
}
