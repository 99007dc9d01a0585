using Tuneforge.Targets;

// The workflows in .github/workflows are generated from these attributes: edit them here, then run
// ./build.sh --generate-configuration (a test fails while the committed files differ). See docs/ci.md.
[GitHubActions("ci", GitHubActionsImage.UbuntuLatest,
    On = [GitHubActionsTrigger.PullRequest, GitHubActionsTrigger.Push],
    OnPushBranches = ["main"],
    OnPullRequestBranches = ["main"],
    Invocations = ["Restore", "Test", "Train Evaluate"],
    ArtifactCacheKeyFiles = ["pipelines/**", "data/**", "src/**"],
    TimeoutMinutes = 60,
    ConcurrencyGroup = "${{ github.workflow }}-${{ github.ref }}",
    ConcurrencyCancelInProgress = true)]
[GitHubActions("train",
    RunsOnLabels = ["self-hosted", "linux", "x64", "gpu"],
    JobName = "train",
    On = [GitHubActionsTrigger.WorkflowDispatch, GitHubActionsTrigger.Push],
    OnPushIncludePaths = ["pipelines/**", "data/**"],
    MatrixFiles = "pipelines/*.yaml",
    MatrixParameter = "Pipeline",
    EnvironmentVariables = ["TorchBackend=cuda"],
    Invocations = ["Restore", "Train Evaluate"],
    ImportSecrets = ["HF_TOKEN"],
    ArtifactCacheKeyFiles = ["pipelines/**", "data/**", "src/**"],
    TimeoutMinutes = 720,
    ConcurrencyGroup = "${{ github.workflow }}-${{ github.ref }}")]
[GitHubActions("release",
    RunsOnLabels = ["self-hosted", "linux", "x64", "gpu"],
    JobName = "package",
    On = [GitHubActionsTrigger.Push],
    OnPushTags = ["v*"],
    MatrixFiles = "pipelines/*.yaml",
    MatrixParameter = "Pipeline",
    EnvironmentVariables = ["TorchBackend=cuda"],
    InvokedTargets = ["Package"],
    ImportSecrets = ["HF_TOKEN"],
    ArtifactCacheKeyFiles = ["pipelines/**", "data/**", "src/**"],
    ReleaseAssets = ["dist/*.zip"],
    TimeoutMinutes = 720)]
partial class Build
{
    // The workflow validators the tests run (pinned by the package-lock.json there).
    AbsolutePath WorkflowValidatorsDirectory => RootDirectory / "tests" / "Tuneforge.Targets.Tests" / "WorkflowValidators";

    Target Restore => _ => _
        .Description("Restores the NuGet packages, and the npm workflow validators when npm is installed (a CI step of its own)")
        .Executes(async () =>
        {
            await RunTool("dotnet", ["restore", "Tuneforge.slnx"]);
            if (!await ToolWorks("npm"))
            {
                Log.Warning("npm is not installed: the workflow validation tests will be skipped (see docs/ci.md).");
                return;
            }
            await RunTool("npm", ["ci", "--prefix", WorkflowValidatorsDirectory, "--no-audit", "--no-fund", "--loglevel=error"]);
        });

    async Task RunTool(string tool, string[] arguments)
    {
        var exitCode = await ProcessRunner.RunAsync(tool, arguments, RootDirectory, Log.Information, cancellation: Cancellation);
        if (exitCode != 0) throw new BuildException($"{tool} {arguments[0]} failed (exit code {exitCode}); its errors are above.");
    }

    async Task<bool> ToolWorks(string tool)
    {
        try
        {
            return await ProcessRunner.RunAsync(tool, ["--version"], RootDirectory, _ => { }, cancellation: Cancellation) == 0;
        }
        catch (BuildException)
        {
            return false; // not on PATH
        }
    }
}
