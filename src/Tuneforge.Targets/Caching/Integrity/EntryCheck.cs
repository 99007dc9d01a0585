namespace Tuneforge.Targets;

/// <summary>Whether an entry folder still holds what its manifest recorded. The cheap check compares every file's size
/// and modification time, and hashes only the files whose time changed (a copy or a touch is not damage); the full check
/// (--verify-cache) hashes every file. Missing and added files are damage either way.</summary>
public static class EntryCheck
{
    /// <param name="Problems">What differs, one line per file; empty when the entry is intact.</param>
    /// <param name="Files">The manifest with the modification times seen now (to record when <paramref name="TimesChanged"/>).</param>
    public sealed record Result(IReadOnlyList<string> Problems, IReadOnlyList<EntryFile> Files, bool TimesChanged)
    {
        public bool IsIntact => Problems.Count == 0;
    }

    public static Result Run(string directory, CacheEntryInfo info, bool hashEveryFile)
    {
        if (info.Files is null) return new(["it has no file manifest (written by a build from before entries recorded their files)"], [], false);
        var problems = new List<string>();
        var files = new List<EntryFile>();
        var timesChanged = false;
        var present = EntryFiles.List(directory).ToDictionary(f => f.Path, f => f.FullPath, StringComparer.Ordinal);
        foreach (var recorded in info.Files)
        {
            if (!present.Remove(recorded.Path, out var path))
            {
                problems.Add($"{recorded.Path} is missing");
                continue;
            }
            var current = new FileInfo(path);
            if (current.Length != recorded.Size)
            {
                var how = current.Length < recorded.Size ? "truncated" : "grown";
                problems.Add($"{recorded.Path} has {current.Length} bytes, {recorded.Size} when written ({how})");
                continue;
            }
            var ticks = current.LastWriteTimeUtc.Ticks;
            if (hashEveryFile || ticks != recorded.ModifiedTicks)
            {
                var sha = FileHashes.Sha256(path);
                if (sha != recorded.Sha256)
                {
                    problems.Add($"{recorded.Path} has other content than when written (SHA-256 {sha[..12]}…, recorded {recorded.Sha256[..12]}…)");
                    continue;
                }
                timesChanged |= ticks != recorded.ModifiedTicks;
            }
            files.Add(recorded with { ModifiedTicks = ticks });
        }
        problems.AddRange(present.Keys.Select(p => $"{p} was added after the entry was written"));
        return new Result(problems, files, timesChanged);
    }
}
