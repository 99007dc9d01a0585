using Tuneforge.Targets;

// The workflows in .github/workflows are generated from these attributes: edit them here, then run
// ./build.sh --generate-configuration (a test fails while the committed files differ). See docs/ci.md.
[GitHubActions("ci", GitHubActionsImage.UbuntuLatest,
    On = [GitHubActionsTrigger.PullRequest, GitHubActionsTrigger.Push],
    OnPushBranches = ["main"],
    OnPullRequestBranches = ["main"],
    Invocations = ["Restore", "Test", "Split"],
    ArtifactCacheKeyFiles = ["pipelines/**", "data/**", "src/**"],
    TimeoutMinutes = 60,
    ConcurrencyGroup = "${{ github.workflow }}-${{ github.ref }}",
    ConcurrencyCancelInProgress = true)]
partial class Build
{
    Target Restore => _ => _
        .Description("Restores the solution's NuGet packages (a CI step of its own, so download time shows apart)")
        .Executes(async () =>
        {
            var exitCode = await ProcessRunner.RunAsync("dotnet", ["restore", "Tuneforge.slnx"], RootDirectory, Log.Information, cancellation: Cancellation);
            if (exitCode != 0) throw new BuildException($"dotnet restore failed (exit code {exitCode}); the errors are above.");
        });
}
