namespace Tuneforge.Targets.Tests;

public class GenerateConfigurationTests : IDisposable
{
    static readonly Dictionary<string, string> Local = new();
    static readonly Dictionary<string, string> Server = new() { ["CI"] = "true" };
    readonly TempRoot root = WorkflowRepository.Create();

    public GenerateConfigurationTests() => Trace.Executed.Clear();

    public void Dispose() => root.Dispose();

    string Workflow(string name) => root.File($".github/workflows/{name}.yml");

    [Fact]
    public void Generate_configuration_writes_every_workflow_and_runs_no_target()
    {
        var (code, output) = root.Run<Build>(Server, "--generate-configuration");
        Assert.Equal(0, code);
        Assert.Contains("Wrote: .github/workflows/train.yml (GitHubActions_train)", output);
        foreach (var name in new[] { "ci", "train", "release" })
            Assert.Equal(WorkflowRepository.Generate<Build>(root, name), File.ReadAllText(Workflow(name)));
        Assert.Empty(Trace.Executed);

        (code, output) = root.Run<Build>(Server, "--generate-configuration");
        Assert.Equal(0, code);
        Assert.Contains("Up to date: .github/workflows/ci.yml (GitHubActions_ci)", output);
    }

    [Fact]
    public void Generate_configuration_with_an_id_writes_only_that_workflow()
    {
        var (code, _) = root.Run<Build>(Server, "--generate-configuration", "GitHubActions_release");
        Assert.Equal(0, code);
        Assert.True(File.Exists(Workflow("release")));
        Assert.False(File.Exists(Workflow("ci")));
    }

    [Fact]
    public void An_invalid_attribute_fails_generation_with_its_message()
    {
        var (code, output) = root.Run<TypoBuild>(Server, "--generate-configuration");
        Assert.Equal(1, code);
        Assert.Contains("invokes target 'Trian', which does not exist. Did you mean 'Train'?", output);
        Assert.False(Directory.Exists(root.File(".github")));
    }

    [Fact]
    public void Local_builds_regenerate_workflows_as_nuke_does_and_ci_builds_do_not()
    {
        var (code, _) = root.Run<Build>(Server, "Test");
        Assert.Equal(0, code);
        Assert.False(File.Exists(Workflow("ci")));

        (code, var output) = root.Run<Build>(Local, "Test");
        Assert.Equal(0, code);
        Assert.Contains("Regenerated .github/workflows/ci.yml (commit it with your change).", output);
        Assert.Equal(WorkflowRepository.Generate<Build>(root, "ci"), File.ReadAllText(Workflow("ci")));
    }

    [Fact]
    public void Auto_generation_skips_workflows_that_opt_out()
    {
        root.Run<NightlyBuild>(Local, "Test");
        Assert.False(File.Exists(Workflow("nightly")));
    }

    [Fact]
    public void A_broken_attribute_warns_on_a_local_run_but_does_not_fail_it()
    {
        var (code, output) = root.Run<TypoBuild>(Local, "Test");
        Assert.Equal(0, code);
        Assert.Contains("warning: The CI configuration was not regenerated: [GitHubActions(\"typo\")]", output);
        Assert.Equal(["Test"], Trace.Executed);
    }

    [Fact]
    public void A_build_without_workflows_says_there_is_nothing_to_write()
    {
        var (code, output) = root.Run<ChainBuild>(Server, "--generate-configuration");
        Assert.Equal(0, code);
        Assert.Contains("ChainBuild declares no CI configuration", output);
    }
}
