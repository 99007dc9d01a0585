namespace Tuneforge.Targets.Tests;

public class PlannerTests : IDisposable
{
    readonly TempRoot root = new();

    public PlannerTests() => Trace.Executed.Clear();

    public void Dispose() => root.Dispose();

    [Fact]
    public void Dependencies_are_scheduled_first_and_only_what_is_needed_runs()
    {
        var (code, _) = root.Run<ChainBuild>("C");
        Assert.Equal(0, code);
        Assert.Equal(["A", "B", "C"], Trace.Executed);
    }

    [Fact]
    public void Names_match_case_and_dash_insensitively()
    {
        var (code, _) = root.Run<OrderingBuild>("re-store", "--target", "COMPILE");
        Assert.Equal(0, code);
        Assert.Equal(["Restore", "Compile", "Notify"], Trace.Executed);
    }

    [Fact]
    public void After_and_before_order_but_never_schedule()
    {
        root.Run<OrderingBuild>("Test");
        Assert.Equal(["Test"], Trace.Executed);
        Trace.Executed.Clear();
        root.Run<OrderingBuild>("Test", "Pack", "Compile");
        Assert.Equal(["Pack", "Restore", "Compile", "Test", "Notify"], Trace.Executed);
    }

    [Fact]
    public void Triggers_add_their_targets_after_the_trigger()
    {
        root.Run<OrderingBuild>("Publish");
        Assert.Equal(["Publish", "Notify"], Trace.Executed);
    }

    [Fact]
    public void A_cycle_is_reported_with_its_members()
    {
        var (code, output) = root.Run<CycleBuild>("Free");
        Assert.Equal(1, code);
        Assert.Contains("Circular dependencies between targets:\n - X, Y, Z", output.Replace("\r", ""));
    }

    [Fact]
    public void An_unknown_target_lists_the_available_ones()
    {
        var (code, output) = root.Run<ChainBuild>("Deploy");
        Assert.Equal(1, code);
        Assert.Contains("Target 'Deploy' does not exist. Available targets are:\n  - A\n  - B\n  - C\n  - D", output.Replace("\r", ""));
    }

    [Fact]
    public void Skip_cascades_to_dependencies_only_the_skipped_target_needed()
    {
        var (code, output) = root.Run<SkipBuild>("Top", "--skip", "B");
        Assert.Equal(0, code);
        Assert.Equal(["Shared", "Other", "Top"], Trace.Executed);
        Assert.Contains("OnlyForB", output);
        Assert.Contains("because of B", output);
    }

    [Fact]
    public void Skip_without_names_skips_everything_but_the_invoked_targets()
    {
        root.Run<ChainBuild>("C", "--skip");
        Assert.Equal(["C"], Trace.Executed);
    }

    [Fact]
    public void Skip_takes_several_targets_joined_by_plus()
    {
        var (_, output) = root.Run<SkipBuild>("Top", "--skip", "B+Other");
        // Shared is needed only by the two skipped targets, so it is skipped as well.
        Assert.Equal(["Top"], Trace.Executed);
        Assert.Matches(@"Shared\s+Skipped", output);
    }

    [Fact]
    public void Plan_prints_the_order_and_runs_nothing()
    {
        var (code, output) = root.Run<ChainBuild>("C", "--plan");
        Assert.Equal(0, code);
        Assert.Empty(Trace.Executed);
        Assert.Contains("1. A\n  2. B (after A)\n  3. C (after B)  [invoked]", output.Replace("\r", ""));
        Assert.True(File.Exists(root.File(".nuke/temp/plan.html")));
    }
}
