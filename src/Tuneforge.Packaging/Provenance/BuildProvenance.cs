using System.Diagnostics;
using System.Xml.Linq;

namespace Tuneforge.Packaging.Provenance;

/// <summary>What made a release, for manifest.json: the git commit (and whether the tree had changes), the tools' versions, the pinned packages.</summary>
public sealed record BuildProvenance(string? Commit, bool? Dirty, IReadOnlyDictionary<string, string> Tools, IReadOnlyDictionary<string, string> Packages)
{
    /// <summary>Reads all of it once for <paramref name="repository"/> (git, and its Directory.Packages.props).</summary>
    public static BuildProvenance Collect(string repository)
    {
        var (commit, dirty) = Git(repository);
        return new BuildProvenance(commit, dirty, CurrentTools(), PinnedPackages(Path.Combine(repository, "Directory.Packages.props")));
    }

    /// <summary>All of it as one line: the manifest records it, so it is an input of the archive's bytes (and of Package's key).</summary>
    public string Text =>
        $"{Commit} {Dirty} {string.Join(",", Tools.Select(t => $"{t.Key}={t.Value}"))} {string.Join(",", Packages.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}";

    /// <summary>The commit of <paramref name="repository"/> and whether tracked files differ from it; nulls without git.</summary>
    public static (string? Commit, bool? Dirty) Git(string repository)
    {
        var commit = RunGit(repository, "rev-parse", "HEAD")?.Trim();
        if (commit is null || commit.Length != 40) return (null, null);
        var status = RunGit(repository, "status", "--porcelain", "--untracked-files=no");
        return (commit, status is null ? null : status.Trim().Length > 0);
    }

    /// <summary>tuneforge's version and the .NET runtime's.</summary>
    public static IReadOnlyDictionary<string, string> CurrentTools() => new Dictionary<string, string>
    {
        ["tuneforge"] = typeof(BuildProvenance).Assembly.GetName().Version?.ToString(3) ?? "unknown",
        ["dotnet"] = Environment.Version.ToString(),
    };

    /// <summary>Every <c>PackageVersion</c> pinned in Directory.Packages.props (id → version).</summary>
    public static IReadOnlyDictionary<string, string> PinnedPackages(string propsPath)
    {
        if (!File.Exists(propsPath)) return new Dictionary<string, string>();
        var document = XDocument.Load(propsPath);
        return document.Descendants("PackageVersion")
            .Where(e => e.Attribute("Include") is not null && e.Attribute("Version") is not null)
            .GroupBy(e => e.Attribute("Include")!.Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Attribute("Version")!.Value, StringComparer.Ordinal);
    }

    private static string? RunGit(string repository, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git") { WorkingDirectory = repository, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;   // git is not installed
        }
    }
}
