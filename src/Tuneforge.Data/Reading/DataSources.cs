namespace Tuneforge.Data.Reading;

/// <summary>A data file found through data.sources: its full path and the path shown to the user.</summary>
public sealed record DataFile(string FullPath, string DisplayPath);

/// <summary>Resolves data.sources (paths or globs relative to the repository root) to files, in the order given;
/// a glob's matches in ordinal order; a file named twice is read once.</summary>
public static class DataSources
{
    public static IReadOnlyList<DataFile> Resolve(IReadOnlyList<string> sources, string rootDirectory)
    {
        if (sources.Count == 0)
            throw new DataException("data.sources is empty: list at least one JSON or JSONL file (paths or globs relative to the repository root).");
        var files = new List<DataFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sources.Count; i++)
        {
            var source = sources[i];
            if (string.IsNullOrWhiteSpace(source))
                throw new DataException($"data.sources[{i}] is empty: give a file path or a glob such as data/*.jsonl.");
            var matched = FileGlob.IsPattern(source) ? Glob(source, i, rootDirectory) : [Single(source, i, rootDirectory)];
            foreach (var full in matched)
                if (seen.Add(full)) files.Add(new DataFile(full, Display(full, rootDirectory)));
        }
        return files;
    }

    static string Single(string source, int index, string root)
    {
        var full = Path.GetFullPath(source, root);
        if (Directory.Exists(full))
            throw new DataException($"data.sources[{index}]: '{source}' is a folder; name the files, or a glob such as '{source.TrimEnd('/')}/*.jsonl'.");
        if (!File.Exists(full))
            throw new DataException($"data.sources[{index}]: '{source}' does not exist (looked for {full}). Check the path; it is relative to the repository root.");
        return full;
    }

    static List<string> Glob(string source, int index, string root)
    {
        var (baseDirectory, matches) = FileGlob.Expand(source, root);
        if (matches is null)
            throw new DataException($"data.sources[{index}]: the pattern '{source}' matches no file: the folder {baseDirectory} does not exist.");
        if (matches.Count == 0)
            throw new DataException($"data.sources[{index}]: the pattern '{source}' matches no file (looked under {baseDirectory}).");
        return matches;
    }

    /// <summary>Inside the root: relative with '/', so outputs are the same in every clone; outside: the full path.</summary>
    public static string Display(string fullPath, string rootDirectory)
    {
        var relative = Path.GetRelativePath(rootDirectory, fullPath).Replace('\\', '/');
        return relative.StartsWith("../", StringComparison.Ordinal) || relative == ".." || Path.IsPathRooted(relative) ? fullPath : relative;
    }
}
