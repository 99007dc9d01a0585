using Tuneforge.TestSupport.Processes;
using Xunit.Abstractions;

namespace Tuneforge.Targets.Tests;

/// <summary>SIGTERM and Ctrl-C to a real build process whose target runs a child that started grandchildren: the whole
/// tree stops, nothing is cached, the lock is free; a tree that ignores SIGTERM is killed; a second signal kills at once.</summary>
public sealed class SignalTests(ITestOutputHelper output) : IDisposable
{
    const string WithGrandchildren = "sleep 300 & sleep 300 & wait";
    const string IgnoringSigterm = "trap '' TERM INT; sleep 300 & sleep 300 & wait";

    readonly TempRoot root = CreateRoot();

    static TempRoot CreateRoot()
    {
        var root = new TempRoot();
        File.WriteAllText(root.File("input.txt"), "abc");
        return root;
    }

    public void Dispose() => root.Dispose();

    // The child (bash) and its two sleeps are running when this returns.
    RunningProcess StartChild(string command, int stopGraceSeconds)
    {
        var build = new RunningProcess(FixtureProcess.Start(root, "Child", "--child-command", command, "--stop-grace-seconds", stopGraceSeconds.ToString()));
        var before = StartedProcesses.WaitFor(build.Process.Id, p => p.Count >= 3 || build.Process.HasExited, TimeSpan.FromSeconds(60));
        Assert.True(before.Count >= 3, $"the child and its grandchildren never ran:\n{StartedProcesses.Listing(before)}\n{build.Output}");
        output.WriteLine($"build {build.Process.Id}; the processes it started, before the signal:\n{StartedProcesses.Listing(before)}");
        return build;
    }

    void AssertNothingLeft(RunningProcess build)
    {
        var after = StartedProcesses.WaitFor(build.Process.Id, p => p.Count == 0, TimeSpan.FromSeconds(5));
        output.WriteLine($"after the build exited ({build.Process.ExitCode}):\n{StartedProcesses.Listing(after)}");
        Assert.True(after.Count == 0, $"processes outlived the build:\n{StartedProcesses.Listing(after)}");
        Assert.Empty(FixtureProcess.Entries(root, "Child"));
    }

    [Fact]
    public void SIGTERM_stops_the_child_and_its_grandchildren_caches_nothing_and_frees_the_lock()
    {
        using var build = StartChild(WithGrandchildren, stopGraceSeconds: 5);
        Signals.Send(build.Process.Id, Signals.SigTerm);
        var took = build.WaitForExit(TimeSpan.FromSeconds(30));
        output.WriteLine($"exited {took.TotalSeconds:0.0} s after SIGTERM");

        Assert.Equal(143, build.Process.ExitCode);
        Assert.Contains("SIGTERM received: stopping the running target", build.Output);
        Assert.Contains("Target Child was cancelled.", build.Output);
        AssertNothingLeft(build);
        var lockFile = Assert.Single(Directory.GetFiles(root.File(".nuke/cache/Child"), ".lock-*"));
        using (new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { }

        using var next = FixtureProcess.Start(root, "Child");
        next.WaitForExit();
        Assert.Equal(0, next.ExitCode);
        Assert.Equal("done", File.ReadAllText(Path.Combine(Assert.Single(FixtureProcess.Entries(root, "Child")), "result.txt")));
    }

    [Fact]
    public void Ctrl_C_stops_the_tree_the_same_way_and_exits_130()
    {
        using var build = StartChild(WithGrandchildren, stopGraceSeconds: 5);
        Signals.Send(build.Process.Id, Signals.SigInt);
        build.WaitForExit(TimeSpan.FromSeconds(30));

        Assert.Equal(130, build.Process.ExitCode);
        Assert.Contains("Ctrl-C (SIGINT) received", build.Output);
        AssertNothingLeft(build);
    }

    [Fact]
    public void A_tree_that_ignores_SIGTERM_is_killed_after_the_grace_period()
    {
        using var build = StartChild(IgnoringSigterm, stopGraceSeconds: 2);
        Signals.Send(build.Process.Id, Signals.SigTerm);
        var took = build.WaitForExit(TimeSpan.FromSeconds(30));
        output.WriteLine($"exited {took.TotalSeconds:0.0} s after SIGTERM (grace 2 s)");

        Assert.Equal(143, build.Process.ExitCode);
        Assert.True(took >= TimeSpan.FromSeconds(1.5), $"the build exited after {took.TotalSeconds:0.0} s, before the grace period ended");
        AssertNothingLeft(build);
    }

    [Fact]
    public void A_second_signal_kills_the_tree_and_exits_at_once()
    {
        using var build = StartChild(IgnoringSigterm, stopGraceSeconds: 300);
        Signals.Send(build.Process.Id, Signals.SigTerm);
        build.WaitUntil(() => build.Output.Contains("SIGTERM received"), "the first SIGTERM", TimeSpan.FromSeconds(30));
        Thread.Sleep(500);
        Assert.False(build.Process.HasExited, $"the build exited on the first SIGTERM although its child ignores it:\n{build.Output}");

        Signals.Send(build.Process.Id, Signals.SigTerm);
        var took = build.WaitForExit(TimeSpan.FromSeconds(30)); // far less than the 300 s grace
        output.WriteLine($"exited {took.TotalSeconds:0.0} s after the second SIGTERM (grace 300 s)");

        Assert.Equal(143, build.Process.ExitCode);
        Assert.Contains("SIGTERM received again: killing every process the build started", build.Output);
        AssertNothingLeft(build);
    }
}
