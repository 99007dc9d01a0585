using System.Security.Cryptography;
using System.Text;

namespace Tuneforge.Targets;

/// <summary>A cache key: the SHA-256 of a canonical, line-per-input description of everything a result depends on.</summary>
public sealed record CacheKey(string Target, string Hash, IReadOnlyList<string> Inputs)
{
    public string Short => Hash[..12];

    public static CacheKey Compute(string target, CacheInputs inputs, string rootDirectory, FileHashes hashes, Func<Target, string> upstreamKey)
    {
        var lines = new List<string> { "tuneforge-cache/1", $"target {target}" };
        foreach (var (kind, name, value) in inputs.Items)
        {
            lines.Add(kind switch
            {
                "file" => $"file {Relative(rootDirectory, name)} {hashes.Hash(Full(rootDirectory, name))}",
                "directory" => $"directory {Relative(rootDirectory, name)} {HashDirectory(Full(rootDirectory, name), hashes)}",
                "value" => $"value {name} {Sha(value)}",
                "salt" => $"salt {value}",
                _ => throw new InvalidOperationException(kind),
            });
        }
        lines.AddRange(inputs.UpstreamTargets.Select(t => $"upstream {upstreamKey(t)}"));
        var hash = Sha(string.Join("\n", lines));
        return new CacheKey(target, hash, lines);
    }

    static string HashDirectory(string path, FileHashes hashes)
    {
        if (!Directory.Exists(path)) throw new BuildException($"Input folder '{path}' does not exist.");
        var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            .Select(f => (Relative: Path.GetRelativePath(path, f).Replace('\\', '/'), Full: f))
            .OrderBy(f => f.Relative, StringComparer.Ordinal);
        return Sha(string.Join("\n", files.Select(f => $"{f.Relative} {hashes.Hash(f.Full)}")));
    }

    // Paths inside the repository are keyed relative to it, so a clone elsewhere hits the same entries.
    static string Relative(string root, string path)
    {
        var full = Full(root, path);
        var relative = Path.GetRelativePath(root, full).Replace('\\', '/');
        return relative.StartsWith("..", StringComparison.Ordinal) ? full : relative;
    }

    static string Full(string root, string path) => Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(root, path));

    public static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
