using System.Text;
using System.Text.RegularExpressions;

namespace Tuneforge.Targets;

/// <summary>The build inside GitHub Actions (GITHUB_ACTIONS=true): each target's log in a collapsible group, errors and
/// warnings as annotations (on a file and line when one is known), and the summary on the job's summary page.</summary>
public sealed partial class GitHubActionsHost : IBuildHost
{
    readonly string? summaryFile;
    readonly string workspace;

    public GitHubActionsHost(IReadOnlyDictionary<string, string> environment)
    {
        summaryFile = environment.GetValueOrDefault("GITHUB_STEP_SUMMARY") is { Length: > 0 } file ? file : null;
        workspace = environment.GetValueOrDefault("GITHUB_WORKSPACE") is { Length: > 0 } root ? root : Directory.GetCurrentDirectory();
    }

    /// <summary>The host for this environment, or null outside GitHub Actions.</summary>
    public static GitHubActionsHost? TryCreate(IReadOnlyDictionary<string, string> environment) =>
        environment.GetValueOrDefault("GITHUB_ACTIONS") == "true" ? new GitHubActionsHost(environment) : null;

    public string Name => "GitHubActions";

    public IEnumerable<string> BeginTarget(string name) => [$"::group::{EscapeData(name)}"];

    public IEnumerable<string> EndTarget(string name) => ["::endgroup::"];

    public string FormatError(string message, string? file, int? line) => Command("error", message, file, line);

    public string FormatWarning(string message) => Command("warning", message, null, null);

    public void WriteSummary(string markdown) => AppendSummary(markdown);

    /// <summary>Appends a block of markdown to the job's summary page; nothing when the runner gave no summary file.</summary>
    public void AppendSummary(string markdown)
    {
        if (summaryFile is null) return;
        File.AppendAllText(summaryFile, markdown.TrimEnd('\n') + "\n\n", new UTF8Encoding(false));
    }

    // Without an explicit position, a leading "path:line[:column]" that names a file of the workspace becomes one
    // (spec and data errors are written that way), so the annotation points at the line.
    string Command(string kind, string message, string? file, int? line)
    {
        int? column = null;
        if (file is null && Position().Match(message) is { Success: true } match && File.Exists(Path.Combine(workspace, match.Groups["file"].Value)))
        {
            file = match.Groups["file"].Value;
            line = int.Parse(match.Groups["line"].Value);
            column = match.Groups["column"].Success ? int.Parse(match.Groups["column"].Value) : null;
        }
        var properties = new List<string>();
        if (file is not null) properties.Add($"file={EscapeProperty(WorkspaceRelative(file))}");
        if (line is { } l) properties.Add($"line={l}");
        if (column is { } c) properties.Add($"col={c}");
        return $"::{kind}{(properties.Count > 0 ? " " + string.Join(",", properties) : "")}::{EscapeData(message)}";
    }

    string WorkspaceRelative(string file)
    {
        if (!Path.IsPathRooted(file)) return file.Replace('\\', '/');
        var relative = Path.GetRelativePath(workspace, file);
        return (relative.StartsWith("..", StringComparison.Ordinal) ? file : relative).Replace('\\', '/');
    }

    // The runner's escaping of workflow commands: data may not hold line breaks; properties neither ':' nor ','.
    public static string EscapeData(string text) => text.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

    public static string EscapeProperty(string text) => EscapeData(text).Replace(":", "%3A").Replace(",", "%2C");

    [GeneratedRegex(@"^(?:[^\n]*?: )?(?<file>[\w./\\-]+\.\w+):(?<line>\d+)(?::(?<column>\d+))?:")]
    private static partial Regex Position();
}
