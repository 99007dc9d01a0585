using System.Net;
using System.Net.Sockets;
using Tuneforge.TestSupport.Processes;
using Xunit.Abstractions;

namespace Tuneforge.Pipeline.Tests;

/// <summary>The real build and engine on pipelines/smoke.yaml, signalled mid-Train and mid-Serve as docker stop, systemd
/// or a CI cancel would (SIGTERM), and killed outright (SIGKILL): no engine or server outlives the build, nothing is
/// cached from the interrupted run, the lock is free and the port too.</summary>
public sealed class InterruptedBuildTests(ITestOutputHelper output) : IDisposable
{
    readonly SmokeRoot smoke = new();

    public void Dispose() => smoke.Dispose();

    IReadOnlyList<StartedProcesses.Entry> Before(RunningProcess build)
    {
        var before = StartedProcesses.Of(build.Process.Id);
        output.WriteLine($"build {build.Process.Id}; the processes it started, before the signal:\n{StartedProcesses.Listing(before)}");
        Assert.Contains(before, p => p.CommandLine.Contains("tuneforge-engine", StringComparison.Ordinal));
        return before;
    }

    void AssertNothingLeft(RunningProcess build, TimeSpan within)
    {
        var after = StartedProcesses.WaitFor(build.Process.Id, p => p.Count == 0, within);
        output.WriteLine($"after ({(build.Process.HasExited ? $"the build exited {build.Process.ExitCode}" : "the build is running")}):\n{StartedProcesses.Listing(after)}");
        Assert.True(after.Count == 0, $"processes outlived the build:\n{StartedProcesses.Listing(after)}");
    }

    string[] TrainEntries => Directory.Exists(smoke.File(".nuke/cache/Train"))
        ? Directory.GetDirectories(smoke.File(".nuke/cache/Train")).Where(d => !Path.GetFileName(d).StartsWith('.')).ToArray()
        : [];

    [Fact]
    public void SIGTERM_mid_Train_stops_the_engine_and_caches_nothing()
    {
        using var build = new RunningProcess(smoke.Start("Train", "--set", "train.max_steps=100000"));
        build.WaitUntil(() => build.Output.Contains("step 2/100000"), "training steps", TimeSpan.FromMinutes(3));
        Before(build);

        Signals.Send(build.Process.Id, Signals.SigTerm);
        var took = build.WaitForExit(TimeSpan.FromSeconds(60));
        output.WriteLine($"exited {took.TotalSeconds:0.0} s after SIGTERM");

        Assert.Equal(143, build.Process.ExitCode);
        Assert.Matches(@"Train\s+Aborted", build.Output);
        AssertNothingLeft(build, TimeSpan.FromSeconds(5));
        Assert.Empty(TrainEntries);
        foreach (var lockFile in Directory.GetFiles(smoke.File(".nuke/cache/Train"), ".lock-*"))
            using (new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { }
    }

    [Fact]
    public void SIGKILL_of_the_build_mid_Train_takes_the_engine_with_it()
    {
        using var build = new RunningProcess(smoke.Start("Train", "--set", "train.max_steps=100000"));
        build.WaitUntil(() => build.Output.Contains("step 2/100000"), "training steps", TimeSpan.FromMinutes(3));
        Before(build);

        Signals.Send(build.Process.Id, Signals.SigKill);
        build.WaitForExit(TimeSpan.FromSeconds(60));

        // The build had no chance to stop it: the engine sees its parent gone and stops itself.
        AssertNothingLeft(build, TimeSpan.FromSeconds(20));
        Assert.Empty(TrainEntries);
    }

    [Fact]
    public void SIGTERM_mid_Serve_stops_the_server_and_frees_its_port()
    {
        var port = FreePort();
        using var build = new RunningProcess(smoke.Start("Train", "Serve", "--set", "train.max_steps=2", "--set", $"serve.urls=http://127.0.0.1:{port}"));
        build.WaitUntil(() => Accepts(port), $"a server listening on port {port}", TimeSpan.FromMinutes(3));
        Before(build);

        Signals.Send(build.Process.Id, Signals.SigTerm);
        var took = build.WaitForExit(TimeSpan.FromSeconds(60));
        output.WriteLine($"exited {took.TotalSeconds:0.0} s after SIGTERM");

        // Stopping is how serving ends: a clean stop is a success.
        Assert.True(build.Process.ExitCode == 0, build.Output);
        Assert.Matches(@"Serve\s+Succeeded", build.Output);
        AssertNothingLeft(build, TimeSpan.FromSeconds(5));
        Assert.False(Accepts(port), $"port {port} still accepts connections");
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start(); // free again
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static bool Accepts(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
