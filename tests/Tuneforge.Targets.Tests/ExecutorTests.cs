namespace Tuneforge.Targets.Tests;

public class ExecutorTests : IDisposable
{
    readonly TempRoot root = new();

    public ExecutorTests() => Trace.Executed.Clear();

    public void Dispose() => root.Dispose();

    [Fact]
    public void A_false_static_condition_skips_with_its_text_and_cascades_with_WhenSkipped()
    {
        var (code, output) = root.Run<ConditionBuild>("All");
        Assert.Equal(0, code);
        Assert.Equal(["All"], Trace.Executed);
        Assert.Matches(@"Static\s+Skipped\s+// Deploy", output);
        Assert.Contains("// because of Static", output);
        Assert.Contains("// Trace.Executed.Count > 10", output);
    }

    [Fact]
    public void A_true_static_condition_runs_the_target()
    {
        root.Run<ConditionBuild>("All", "--deploy");
        Assert.Equal(["Prepare", "Static", "All"], Trace.Executed);
    }

    [Fact]
    public void Requirements_are_checked_before_anything_runs()
    {
        var (code, output) = root.Run<ConditionBuild>("Upload", "Guarded", "Prepare");
        Assert.Equal(1, code);
        Assert.Empty(Trace.Executed);
        Assert.Contains("Target 'Upload' requires parameter '--api-key' to be set.", output);
        Assert.Contains("Target 'Guarded' requires 'Deploy'.", output);
    }

    [Fact]
    public void A_requirement_is_met_by_an_environment_variable()
    {
        var (code, _) = root.Run<ConditionBuild>(new Dictionary<string, string> { ["API_KEY"] = "secret" }, "Upload");
        Assert.Equal(0, code);
        Assert.Equal(["Upload"], Trace.Executed);
    }

    [Fact]
    public void A_failure_stops_the_build_but_assured_targets_still_run()
    {
        var (code, output) = root.Run<FailureBuild>("Next", "Cleanup");
        Assert.Equal(1, code);
        Assert.Equal(["Cleanup"], Trace.Executed);
        Assert.Contains("Target Fails failed: the data file is missing", output);
        Assert.Matches(@"Next\s+NotRun", output);
        Assert.Contains("Build failed on", output);
        Assert.DoesNotContain("   at ", output); // no stack trace for a user-facing error
    }

    [Fact]
    public void ProceedAfterFailure_lets_the_build_continue_and_still_fail()
    {
        var (code, output) = root.Run<FailureBuild>("After1");
        Assert.Equal(1, code);
        Assert.Equal(["After1"], Trace.Executed);
        Assert.Matches(@"Tolerant\s+Failed", output);
        Assert.Contains("// InvalidOperationException: boom", output);
        Assert.Contains("stack trace is in .nuke/temp/build.log", output);
        Assert.Contains("   at ", File.ReadAllText(root.File(".nuke/temp/build.log")));
    }

    [Fact]
    public void Async_actions_run_and_a_target_without_actions_is_collective()
    {
        var (code, output) = root.Run<FailureBuild>("Collective");
        Assert.Equal(0, code);
        Assert.Equal(["Async"], Trace.Executed);
        Assert.Matches(@"Collective\s+Collective", output);
    }

    [Fact]
    public void Continue_skips_what_succeeded_in_the_failed_attempt()
    {
        var (_, first) = root.Run<FailureBuild>("Async", "Next");
        Assert.Contains("error: the data file is missing", first);
        Assert.Equal(["Async"], Trace.Executed);
        Trace.Executed.Clear();
        var (_, output) = root.Run<FailureBuild>("Async", "Next", "--continue");
        Assert.Empty(Trace.Executed);
        Assert.Contains("succeeded in the previous attempt (--continue)", output);
    }
}

public class CancellationTests : IDisposable
{
    readonly TempRoot root = new();

    public CancellationTests() => Trace.Executed.Clear();

    public void Dispose() => root.Dispose();

    [Fact]
    public void Ctrl_C_that_ends_the_last_target_cleanly_is_a_success()
    {
        var (code, output) = root.Run<CancellationBuild>("Serve");
        Assert.Equal(0, code);
        Assert.Contains("Build succeeded", output);
    }

    [Fact]
    public void Ctrl_C_that_leaves_targets_unrun_fails_with_130()
    {
        var (code, output) = root.Run<CancellationBuild>("After");
        Assert.Equal(130, code);
        Assert.Equal(["Serve"], Trace.Executed);
        Assert.Matches(@"After\s+NotRun", output);
    }
}
