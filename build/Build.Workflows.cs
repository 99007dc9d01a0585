using Tuneforge.Targets;

// The workflows in .github/workflows are generated from these attributes: edit them here, then run
// ./build.sh --generate-configuration (a test fails while the committed files differ). See docs/ci.md.
// The generator's tests compile this very file onto their fixture targets (tests/Tuneforge.Targets.Tests), so they test these workflows.
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
partial class Build;
