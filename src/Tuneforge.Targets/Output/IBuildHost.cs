namespace Tuneforge.Targets;

/// <summary>Where the build runs: a terminal, or a CI service whose log has groups and annotations.</summary>
public interface IBuildHost
{
    string Name { get; }
    IEnumerable<string> BeginTarget(string name);
    IEnumerable<string> EndTarget(string name);
    string FormatError(string message, string? file, int? line);
    string FormatWarning(string message);

    /// <summary>Called once at the end with the summary (e.g. GitHub's job summary page).</summary>
    void WriteSummary(string markdown);
}

/// <summary>A local terminal: NUKE's header block per target.</summary>
public sealed class TerminalHost : IBuildHost
{
    public string Name => "Terminal";

    public IEnumerable<string> BeginTarget(string name) =>
        ["", $"╬{new string('═', name.Length + 2)}", $"║ {name}", "╬═══", ""];

    public IEnumerable<string> EndTarget(string name) => [];
    public string FormatError(string message, string? file, int? line) => file is null ? message : $"{file}{(line is { } l ? $":{l}" : "")}: {message}";
    public string FormatWarning(string message) => $"warning: {message}";
    public void WriteSummary(string markdown) { }
}
