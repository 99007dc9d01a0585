namespace Tuneforge.Targets;

/// <summary>The cache entries the artifact views point at (artifacts/&lt;pipeline&gt;/&lt;stage&gt; links): what Prune keeps.</summary>
public static class PublishedEntries
{
    public static IReadOnlySet<string> Under(string artifactsDirectory)
    {
        if (!Directory.Exists(artifactsDirectory)) return new HashSet<string>();
        return Directory.EnumerateFileSystemEntries(artifactsDirectory, "*", SearchOption.AllDirectories)
            .Select(path => new FileInfo(path).LinkTarget is { } target ? Path.GetFullPath(target, Path.GetDirectoryName(path)!) : null)
            .OfType<string>()
            .ToHashSet();
    }
}
