using System.Reflection;

namespace Tuneforge.Targets;

/// <summary>NUKE's <c>--generate-configuration</c>: the CI files declared by attributes on the build class, generated in
/// memory (for the drift test) or written under the root (only files whose text changed are touched).</summary>
public static class ConfigurationGenerator
{
    /// <summary>A generated file: its path relative to the root ('/' separators) and its text.</summary>
    public sealed record GeneratedFile(string Id, string RelativePath, string Content, bool AutoGenerate);

    public static IReadOnlyList<GitHubActionsAttribute> Attributes(Type buildType)
    {
        var attributes = buildType.GetCustomAttributes<GitHubActionsAttribute>(inherit: true).OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        if (attributes.GroupBy(a => a.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            throw new BuildException($"{buildType.Name} declares the workflow '{duplicate.Key}' more than once; names are file names and must differ.");
        return attributes;
    }

    /// <summary>Generates every declared configuration, or only those named (<c>GitHubActions_ci</c> or <c>ci</c>).</summary>
    public static IReadOnlyList<GeneratedFile> Generate(NukeBuild build, string rootDirectory, IReadOnlyCollection<string>? only = null)
    {
        var attributes = Attributes(build.GetType());
        var selected = attributes;
        if (only is { Count: > 0 })
        {
            var ids = attributes.Select(a => a.ConfigurationId).ToList();
            foreach (var name in only.Where(n => !attributes.Any(a => Matches(a, n))))
            {
                var hint = Text.DidYouMean(name, ids) is { } s ? $" Did you mean '{s}'?" : "";
                throw new BuildException($"There is no configuration '{name}'.{hint} Declared: {(ids.Count > 0 ? string.Join(", ", ids) : "none")}.");
            }
            selected = attributes.Where(a => only.Any(n => Matches(a, n))).ToList();
        }
        if (selected.Count == 0) return [];
        var context = new ConfigurationContext(build, rootDirectory);
        return selected.Select(a => new GeneratedFile(a.ConfigurationId, GitHubActionsWorkflow.RelativePath(a), GitHubActionsWorkflow.Generate(a, context), a.AutoGenerate)).ToList();
    }

    /// <summary>Writes the files (temp file, then rename) and says which changed.</summary>
    public static IReadOnlyList<string> Write(IEnumerable<GeneratedFile> files, string rootDirectory)
    {
        var changed = new List<string>();
        foreach (var file in files)
        {
            var path = Path.Combine(rootDirectory, file.RelativePath);
            if (File.Exists(path) && File.ReadAllText(path) == file.Content) continue;
            BuildRunner.WriteIfChanged(path, file.Content);
            changed.Add(file.RelativePath);
        }
        return changed;
    }

    /// <summary>The generated files whose committed copy is missing or differs: what a drift test reports.</summary>
    public static IReadOnlyList<string> Drifted(NukeBuild build, string rootDirectory) =>
        Generate(build, rootDirectory)
            .Where(f => !File.Exists(Path.Combine(rootDirectory, f.RelativePath)) || File.ReadAllText(Path.Combine(rootDirectory, f.RelativePath)) != f.Content)
            .Select(f => f.RelativePath)
            .ToList();

    static bool Matches(GitHubActionsAttribute attribute, string name) =>
        string.Equals(name, attribute.ConfigurationId, StringComparison.OrdinalIgnoreCase) || string.Equals(name, attribute.Name, StringComparison.OrdinalIgnoreCase);
}
