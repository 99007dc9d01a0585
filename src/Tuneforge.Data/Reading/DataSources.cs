using Microsoft.Extensions.FileSystemGlobbing;

namespace Tuneforge.Data.Reading;

/// <summary>A data file found through data.sources: its full path and the path shown to the user.</summary>
public sealed record DataFile(string FullPath, string DisplayPath);

/// <summary>Resolves data.sources, a data.mix path or data.reviews (paths or globs relative to the repository root) to
/// files, in the order given; a glob's matches in ordinal order; a file named twice is read once.</summary>
public static class DataSources
{
    static readonly char[] GlobCharacters = ['*', '?', '[', '{'];

    /// <param name="key">The spec key the paths come from, for messages: data.sources, data.reviews.</param>
    public static IReadOnlyList<DataFile> Resolve(IReadOnlyList<string> sources, string rootDirectory, string key = "data.sources")
    {
        if (sources.Count == 0)
            throw new DataException($"{key} is empty: list at least one data file (paths or globs relative to the repository root).");
        var files = new List<DataFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sources.Count; i++)
            foreach (var file in Match(sources[i], $"{key}[{i}]", rootDirectory))
                if (seen.Add(file.FullPath)) files.Add(file);
        return files;
    }

    /// <summary>The files one path or glob names; <paramref name="key"/> (e.g. data.mix[1].path) is named in errors.</summary>
    public static IReadOnlyList<DataFile> Match(string source, string key, string rootDirectory)
    {
        if (string.IsNullOrWhiteSpace(source))
            throw new DataException($"{key} is empty: give a file path or a glob such as data/*.jsonl.");
        var matched = source.IndexOfAny(GlobCharacters) >= 0 ? Glob(source, key, rootDirectory) : [Single(source, key, rootDirectory)];
        return [.. matched.Select(full => new DataFile(full, Display(full, rootDirectory)))];
    }

    static string Single(string source, string key, string root)
    {
        var full = Path.GetFullPath(source, root);
        if (Directory.Exists(full))
            throw new DataException($"{key}: '{source}' is a folder; name the files, or a glob such as '{source.TrimEnd('/')}/*.jsonl'.");
        if (!File.Exists(full))
            throw new DataException($"{key}: '{source}' does not exist (looked for {full}). Check the path; it is relative to the repository root.");
        return full;
    }

    static List<string> Glob(string source, string key, string root)
    {
        // The folder part before the first wildcard is where matching starts; the rest is the pattern.
        var normalized = source.Replace('\\', '/');
        var firstWildcard = normalized.IndexOfAny(GlobCharacters);
        var lastSlash = normalized.LastIndexOf('/', firstWildcard);
        var baseText = lastSlash < 0 ? "" : normalized[..(lastSlash + 1)];
        var pattern = normalized[(lastSlash + 1)..];
        var baseDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(baseText.Length == 0 ? "." : baseText, root));
        if (!Directory.Exists(baseDirectory))
            throw new DataException($"{key}: the pattern '{source}' matches no file: the folder {baseDirectory} does not exist.");
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(pattern);
        var matches = matcher.GetResultsInFullPath(baseDirectory)
            .Select(p => Path.GetFullPath(p))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();
        if (matches.Count == 0)
            throw new DataException($"{key}: the pattern '{source}' matches no file (looked under {baseDirectory}).");
        return matches;
    }

    /// <summary>Inside the root: relative with '/', so outputs are the same in every clone; outside: the full path.</summary>
    public static string Display(string fullPath, string rootDirectory)
    {
        var relative = Path.GetRelativePath(rootDirectory, fullPath).Replace('\\', '/');
        return relative.StartsWith("../", StringComparison.Ordinal) || relative == ".." || Path.IsPathRooted(relative) ? fullPath : relative;
    }
}
