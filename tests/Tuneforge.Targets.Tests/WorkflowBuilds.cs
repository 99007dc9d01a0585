using Tuneforge.Targets;

namespace Tuneforge.Targets.Tests;

/// <summary>The targets and parameters, without workflows (attributes are inherited).</summary>
public class PipelineTargets : NukeBuild
{
    [Parameter("Pipeline file", Name = "Pipeline")] string? PipelineFile { get; set; }
    [Parameter("Hugging Face token")] string? HfToken { get; set; }
    [Parameter("Learning rate")] double LearningRate { get; set; }

    protected Target Restore => _ => _.Executes(() => Trace.Executed.Add("Restore"));
    protected Target Test => _ => _.Executes(() => Trace.Executed.Add("Test"));
    protected Target Clean => _ => _.Produces("artifacts/*/clean/rejects.jsonl").Executes(() => Trace.Executed.Add("Clean"));
    protected Target Split => _ => _.DependsOn(Clean).Executes(() => Trace.Executed.Add("Split"));
    protected Target Train => _ => _.DependsOn(Split).Produces("artifacts/*/train/adapter/**").Executes(() => Trace.Executed.Add("Train"));
    protected Target Evaluate => _ => _.DependsOn(Train).Produces("artifacts/*/evaluate/report.html", "artifacts/*/evaluate/metrics.json")
        .Executes(() => Trace.Executed.Add("Evaluate"));
    protected Target Package => _ => _.DependsOn(Evaluate).Produces("dist/*.zip").Executes(() => Trace.Executed.Add("Package"));
}

/// <summary>NUKE's own shape: one step, several images, dispatch inputs, a schedule and write permissions.</summary>
[GitHubActions("nightly", GitHubActionsImage.UbuntuLatest, GitHubActionsImage.WindowsLatest,
    On = [GitHubActionsTrigger.Schedule, GitHubActionsTrigger.WorkflowDispatch],
    OnCronSchedule = "0 3 * * *",
    OnWorkflowDispatchRequiredInputs = ["LearningRate"],
    OnWorkflowDispatchOptionalInputs = ["Pipeline"],
    InvokedTargets = ["Test", "Package"],
    EnableGitHubToken = true,
    WritePermissions = [GitHubActionsPermissions.PullRequests],
    CacheIncludePatterns = ["~/.nuget/packages", ".nuke/temp"],
    CacheExcludePatterns = [".nuke/temp/build.log"],
    PublishArtifacts = false,
    FetchDepth = 0,
    Lfs = true,
    AutoGenerate = false)]
public class NightlyBuild : PipelineTargets;

[GitHubActions("typo", GitHubActionsImage.UbuntuLatest, On = [GitHubActionsTrigger.Push], Invocations = ["Test", "Trian Evaluate"])]
public class TypoBuild : PipelineTargets;

[GitHubActions("both", GitHubActionsImage.UbuntuLatest, On = [GitHubActionsTrigger.Push], InvokedTargets = ["Test"], Invocations = ["Test"])]
public class BothInvocationKindsBuild : PipelineTargets;

[GitHubActions("matrix", GitHubActionsImage.UbuntuLatest, On = [GitHubActionsTrigger.Push], InvokedTargets = ["Train"],
    MatrixFiles = "configs/*.yaml", MatrixParameter = "Pipeline")]
public class MissingMatrixFilesBuild : PipelineTargets;

[GitHubActions("matrix", GitHubActionsImage.UbuntuLatest, On = [GitHubActionsTrigger.Push], InvokedTargets = ["Train"],
    MatrixFiles = "pipelines/*.yaml", MatrixParameter = "Pipelin")]
public class UnknownMatrixParameterBuild : PipelineTargets;

[GitHubActions("release", GitHubActionsImage.UbuntuLatest, On = [GitHubActionsTrigger.Push], InvokedTargets = ["Package"], ReleaseAssets = ["dist/*.zip"])]
public class ReleaseWithoutTagsBuild : PipelineTargets;

[GitHubActions("env", GitHubActionsImage.UbuntuLatest, On = [GitHubActionsTrigger.Push], InvokedTargets = ["Test"], EnvironmentVariables = ["TorchBackend"])]
public class BadEnvironmentBuild : PipelineTargets;

[GitHubActions("twice", GitHubActionsImage.UbuntuLatest, On = [GitHubActionsTrigger.Push], InvokedTargets = ["Test"])]
[GitHubActions("Twice", GitHubActionsImage.UbuntuLatest, On = [GitHubActionsTrigger.Push], InvokedTargets = ["Package"])]
public class DuplicateWorkflowBuild : PipelineTargets;
