using System.Diagnostics;

namespace Tuneforge.Targets.Tests;

/// <summary>Real build processes on one cache: killed mid-target, and two at once.</summary>
public class ProcessCacheTests : IDisposable
{
    readonly TempRoot root = new();

    public ProcessCacheTests() => File.WriteAllText(root.File("input.txt"), "abc");

    public void Dispose() => root.Dispose();

    Process Start(params string[] args) => FixtureProcess.Start(root, args);

    string[] Entries => FixtureProcess.Entries(root, "Slow");

    [Fact]
    public void A_killed_build_leaves_no_valid_entry_and_the_next_one_completes()
    {
        using var killed = Start("--delay-ms", "60000");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Directory.Exists(root.File(".nuke/cache")) || !Directory.EnumerateFiles(root.File(".nuke/cache"), "started", SearchOption.AllDirectories).Any())
        {
            Assert.True(DateTime.UtcNow < deadline && !killed.HasExited, "the fixture build never started its target: " + (killed.HasExited ? killed.StandardOutput.ReadToEnd() + killed.StandardError.ReadToEnd() : ""));
            Thread.Sleep(50);
        }
        killed.Kill(entireProcessTree: true);
        killed.WaitForExit();
        Assert.Empty(Entries);

        using var next = Start();
        next.WaitForExit();
        Assert.Equal(0, next.ExitCode);
        var entry = Assert.Single(Entries);
        Assert.Equal("ABC", File.ReadAllText(Path.Combine(entry, "result.txt")));
        Assert.Equal("ABC", File.ReadAllText(root.File("artifacts/fixture/slow/result.txt")));
    }

    [Fact]
    public void Two_builds_at_once_compute_the_entry_once()
    {
        using var first = Start("--delay-ms", "1500");
        using var second = Start("--delay-ms", "1500");
        var outputs = new[] { first, second }.Select(p => { var o = p.StandardOutput.ReadToEnd(); p.WaitForExit(); return (p.ExitCode, o); }).ToList();
        Assert.All(outputs, o => Assert.Equal(0, o.ExitCode));
        Assert.Single(File.ReadAllLines(root.File("executions.log")));
        Assert.Single(Entries);
        Assert.Contains(outputs, o => o.o.Contains("UpToDate"));
    }
}
