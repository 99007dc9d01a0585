using Microsoft.Extensions.FileSystemGlobbing;

namespace Tuneforge.Data.Reading;

/// <summary>Expands a path with wildcards (<c>data/*.jsonl</c>, <c>/usr/share/man/zh_CN/**/*.gz</c>) to files.</summary>
public static class FileGlob
{
    static readonly char[] GlobCharacters = ['*', '?', '[', '{'];

    public static bool IsPattern(string path) => path.IndexOfAny(GlobCharacters) >= 0;

    /// <summary>The folder matching starts in, and the matching files as full paths in ordinal order (null when that
    /// folder does not exist).</summary>
    public static (string BaseDirectory, List<string>? Matches) Expand(string pattern, string root)
    {
        // The folder part before the first wildcard is where matching starts; the rest is the pattern.
        var normalized = pattern.Replace('\\', '/');
        var firstWildcard = normalized.IndexOfAny(GlobCharacters);
        var lastSlash = normalized.LastIndexOf('/', firstWildcard);
        var baseText = lastSlash < 0 ? "" : normalized[..(lastSlash + 1)];
        var rest = normalized[(lastSlash + 1)..];
        var baseDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(baseText.Length == 0 ? "." : baseText, root));
        if (!Directory.Exists(baseDirectory)) return (baseDirectory, null);
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(rest);
        var matches = matcher.GetResultsInFullPath(baseDirectory)
            .Select(p => Path.GetFullPath(p))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();
        return (baseDirectory, matches);
    }
}
