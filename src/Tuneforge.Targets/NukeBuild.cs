using System.Linq.Expressions;

namespace Tuneforge.Targets;

/// <summary>The base of a build class, as NUKE's: <c>static int Main() =&gt; Execute&lt;Build&gt;(x =&gt; x.Train);</c></summary>
public abstract partial class NukeBuild
{
    [Parameter("List of targets to be invoked. Default is the build's default target.")]
    public string[]? Target { get; internal set; }

    [Parameter("List of targets to be skipped. Empty list skips all dependencies.", Separator = '+')]
    public string[]? Skip { get; internal set; }

    [Parameter("Shows the help text for this build assembly.")]
    public bool Help { get; internal set; }

    [Parameter("Shows the execution plan (text, and a mermaid page in .nuke/temp/plan.html).")]
    public bool Plan { get; internal set; }

    [Parameter("Indicates to continue a previously failed build attempt.")]
    public bool Continue { get; internal set; }

    [Parameter("Logging verbosity during build execution. Default is 'Normal'.")]
    public Verbosity Verbosity { get; internal set; } = Verbosity.Normal;

    [Parameter("Root directory during build execution.")]
    public AbsolutePath? Root { get; internal set; }

    [Parameter("Defines the profiles to load (.nuke/parameters.NAME.json).")]
    public string[]? Profile { get; internal set; }

    [Parameter("Runs every cached target again and replaces its cache entry.")]
    public bool NoCache { get; internal set; }

    [Parameter("Targets to run again even when a cache entry exists for their inputs.", Separator = '+')]
    public string[]? Force { get; internal set; }

    [Parameter("Writes the CI files declared on the build (all, or ids like GitHubActions_ci) and exits.")]
    public string[]? GenerateConfiguration { get; internal set; }

    public AbsolutePath RootDirectory { get; internal set; } = new(Directory.GetCurrentDirectory());
    public AbsolutePath NukeDirectory => RootDirectory / ".nuke";
    public AbsolutePath TemporaryDirectory => NukeDirectory / "temp";
    public AbsolutePath CacheDirectory => NukeDirectory / "cache";

    public static bool IsServerBuild => Environment.GetEnvironmentVariable("CI") is "true" or "True" or "1"
                                        || Environment.GetEnvironmentVariable("GITHUB_ACTIONS") == "true";

    public static bool IsLocalBuild => !IsServerBuild;

    /// <summary>Cancelled on Ctrl-C; long actions and child processes watch it.</summary>
    public CancellationToken Cancellation => cancellation.Token;

    public IReadOnlyList<ExecutableTarget> ExecutableTargets { get; internal set; } = [];
    public IReadOnlyList<ExecutableTarget> ExecutionPlan { get; internal set; } = [];
    public ExecutableTarget? CurrentTarget { get; internal set; }

    internal readonly CancellationTokenSource cancellation = new();
    internal ArtifactCache? Cache;
    internal FileHashes? Hashes;
    internal readonly Dictionary<ExecutableTarget, string> Outputs = [];
    internal readonly Dictionary<ExecutableTarget, CacheKey> Keys = [];

    /// <summary>Adds <c>// key: value</c> pairs to the current target's line in the summary table.</summary>
    public void ReportSummary(params (string Key, string Value)[] pairs)
    {
        var target = CurrentTarget ?? throw new InvalidOperationException("ReportSummary is called from a target's actions.");
        foreach (var (key, value) in pairs) target.SummaryInformation[key] = value;
    }

    /// <summary>Called on every run (--help too) once parameters are bound: regenerate generated files here.</summary>
    protected virtual void OnBuildCreated() { }

    /// <summary>Called after parameters are bound and the plan is made, before any target runs.</summary>
    protected virtual void OnBuildInitialized() { }

    /// <summary>Called at the very end, with the outcome.</summary>
    protected virtual void OnBuildFinished(bool succeeded) { }

    /// <summary>Extra text after the targets and parameters in --help.</summary>
    protected virtual string? HelpFooter => null;

    internal void Created() => OnBuildCreated();
    internal void Initialized() => OnBuildInitialized();
    internal void Finished(bool succeeded) => OnBuildFinished(succeeded);
    internal string? Footer => HelpFooter;

    protected static int Execute<T>(params Expression<Func<T, Target>>[] defaultTargets) where T : NukeBuild, new() =>
        BuildRunner.Run<T>(Environment.GetCommandLineArgs().Skip(1).ToArray(), defaultTargets.FirstOrDefault()?.Compile(), Console.Out);
}
