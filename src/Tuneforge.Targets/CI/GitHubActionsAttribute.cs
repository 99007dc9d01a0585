namespace Tuneforge.Targets;

/// <summary>Declares a GitHub Actions workflow, written to <c>.github/workflows/&lt;name&gt;.yml</c> by
/// <c>./build.sh --generate-configuration</c>, as NUKE's attribute:
/// <c>[GitHubActions("ci", GitHubActionsImage.UbuntuLatest, On = [GitHubActionsTrigger.PullRequest], InvokedTargets = ["Test"])]</c>.
/// Properties marked "extension" go beyond NUKE: self-hosted runner labels, several build steps, a matrix over
/// files, environment variables, the artifact store's cache, and a GitHub release of assets with checksums.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class GitHubActionsAttribute : Attribute
{
    /// <summary>One job per image, as NUKE's.</summary>
    public GitHubActionsAttribute(string name, GitHubActionsImage image, params GitHubActionsImage[] images)
    {
        Name = name;
        Images = [image, .. images];
    }

    /// <summary>For a self-hosted runner: set <see cref="RunsOnLabels"/>.</summary>
    public GitHubActionsAttribute(string name)
    {
        Name = name;
        Images = [];
    }

    /// <summary>The workflow's name and file name; the configuration id is <c>GitHubActions_&lt;name&gt;</c>.</summary>
    public string Name { get; }

    public GitHubActionsImage[] Images { get; }

    /// <summary>Extension: the labels of a self-hosted runner, e.g. <c>["self-hosted", "linux", "x64", "gpu"]</c>.</summary>
    public string[] RunsOnLabels { get; set; } = [];

    /// <summary>Extension: the job's id; by default the image (NUKE) or the labels joined with '-'.</summary>
    public string? JobName { get; set; }

    public GitHubActionsTrigger[] On { get; set; } = [];
    public string[] OnPushBranches { get; set; } = [];
    public string[] OnPushBranchesIgnore { get; set; } = [];
    public string[] OnPushTags { get; set; } = [];
    public string[] OnPushIncludePaths { get; set; } = [];
    public string[] OnPushExcludePaths { get; set; } = [];
    public string[] OnPullRequestBranches { get; set; } = [];
    public string[] OnPullRequestIncludePaths { get; set; } = [];
    public string[] OnPullRequestExcludePaths { get; set; } = [];

    /// <summary>Build parameters offered as optional inputs of a manual run (passed as environment variables).</summary>
    public string[] OnWorkflowDispatchOptionalInputs { get; set; } = [];

    public string[] OnWorkflowDispatchRequiredInputs { get; set; } = [];
    public string? OnCronSchedule { get; set; }

    /// <summary>The targets of the one build step, as NUKE's: <c>./build.sh Test Pack</c>.</summary>
    public string[] InvokedTargets { get; set; } = [];

    /// <summary>Extension: one build step per entry, each listing its targets separated by spaces:
    /// <c>["Restore", "Test", "Train Evaluate"]</c>. Use this or <see cref="InvokedTargets"/>.</summary>
    public string[] Invocations { get; set; } = [];

    /// <summary>Secrets passed to the build steps as environment variables of the same name
    /// (<c>HfToken</c> reads <c>secrets.HF_TOKEN</c>).</summary>
    public string[] ImportSecrets { get; set; } = [];

    /// <summary>Passes the job's token as GITHUB_TOKEN to the build steps.</summary>
    public bool EnableGitHubToken { get; set; }

    public GitHubActionsPermissions[] WritePermissions { get; set; } = [];
    public GitHubActionsPermissions[] ReadPermissions { get; set; } = [];

    /// <summary>Extension: <c>NAME=value</c> pairs set for the whole job (MSBuild reads them as properties too).</summary>
    public string[] EnvironmentVariables { get; set; } = [];

    /// <summary>Extension: one job per file matching a folder and a file pattern (<c>pipelines/*.yaml</c>); each job passes
    /// its file to <see cref="MatrixParameter"/>. With WorkflowDispatch, a choice input picks one file or all.</summary>
    public string? MatrixFiles { get; set; }

    public string? MatrixParameter { get; set; }

    /// <summary>Uploads the <c>Produces</c> globs of every target the steps run (NUKE's PublishArtifacts).</summary>
    public bool PublishArtifacts { get; set; } = true;

    /// <summary>When artifacts are uploaded; by default also after a failed step (a failed gate's report is the one to read).</summary>
    public string PublishCondition { get; set; } = "always()";

    public int TimeoutMinutes { get; set; }
    public string? ConcurrencyGroup { get; set; }
    public bool ConcurrencyCancelInProgress { get; set; }

    /// <summary>Commits to fetch (0 = full history); unset keeps checkout's default of 1.</summary>
    public int FetchDepth { get; set; } = -1;

    public bool Lfs { get; set; }

    /// <summary>Installs the SDK of global.json with actions/setup-dotnet before the build.</summary>
    public bool SetupDotNet { get; set; } = true;

    /// <summary>Files whose hashes key the package cache (NUKE's defaults).</summary>
    public string[] CacheKeyFiles { get; set; } = ["**/global.json", "**/*.csproj", "**/Directory.Packages.props"];

    public string[] CacheIncludePatterns { get; set; } = ["~/.nuget/packages"];
    public string[] CacheExcludePatterns { get; set; } = [];

    /// <summary>Extension: carries the content-addressed store (.nuke/cache) between runs, keyed on these files'
    /// hashes with fallbacks to earlier stores, and saved (also after a failed step) only when it gained entries.</summary>
    public string[] ArtifactCacheKeyFiles { get; set; } = [];

    /// <summary>Extension: files (globs) attached to the GitHub release of the pushed tag, with a SHA256SUMS file.</summary>
    public string[] ReleaseAssets { get; set; } = [];

    /// <summary>Regenerates the file on every local build, as NUKE does.</summary>
    public bool AutoGenerate { get; set; } = true;

    public string ConfigurationId => $"GitHubActions_{Name}";
}
