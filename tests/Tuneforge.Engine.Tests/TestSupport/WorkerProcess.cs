using System.Diagnostics;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Engine.Tests.TestSupport;

/// <summary>
/// Runs the PyTorch worker (src/Tuneforge.Worker) under torchrun with the local launcher's command line
/// (<see cref="TorchrunCommand"/>), with the Python that has torch (Debian's python3-torch).
/// </summary>
public static class WorkerProcess
{
    public static string Root { get; } = RepositoryRoot();

    public static string PackageDirectory { get; } = Path.Combine(Root, "src", "Tuneforge.Worker");

    /// <param name="whileRunning">Called with torchrun's process and each stdout line as it arrives.</param>
    public static WorkerRun Run(string output, int processes, Action<Process, string>? whileRunning = null, TimeSpan? timeout = null)
    {
        var launch = new WorkerLaunch(output, new DistributedSpec { NprocPerNode = processes }, PackageDirectory, "tuneforge-train-test");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in TorchrunCommand.Arguments(launch, TorchrunCommand.Standalone)) start.ArgumentList.Add(argument);
        foreach (var (name, value) in TorchrunCommand.Environment(launch)) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            lines.Add(line);
            whileRunning?.Invoke(process, line);
        }
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the worker did not finish:\n{string.Join("\n", lines.TakeLast(10))}");
        }
        var events = lines.Select(EventSerializer.TryParse).OfType<EngineEvent>().ToList();
        return new WorkerRun(process.ExitCode, events, lines, stderr.Result);
    }

    /// <summary>The worker's Python unit tests (src/Tuneforge.Worker/tests).</summary>
    public static (int Code, string Output) UnitTests()
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = PackageDirectory };
        foreach (var argument in new[] { "-m", "unittest", "discover", "-s", "tests", "-v" }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }

    /// <summary>The worker processes (not torchrun's agent) whose --out is <paramref name="output"/>, with the RANK each runs as.</summary>
    public static IReadOnlyList<(int Pid, int Rank)> Ranks(string output)
    {
        var ranks = new List<(int, int)>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid)) continue;
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(folder, "cmdline")).Split('\0');
                if (!commandLine.Contains("tuneforge_worker") || !commandLine.Contains(output) || commandLine.Contains("torch.distributed.run")) continue;
                var rank = File.ReadAllText(Path.Combine(folder, "environ")).Split('\0').FirstOrDefault(v => v.StartsWith("RANK=", StringComparison.Ordinal));
                if (rank is not null) ranks.Add((pid, int.Parse(rank["RANK=".Length..])));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // a process that ended or is not ours to read
            }
        }
        return ranks;
    }

    /// <summary>Any process of a run into <paramref name="output"/>: torchrun's agent or a rank.</summary>
    public static IReadOnlyList<int> Processes(string output)
    {
        var pids = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid)) continue;
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(folder, "cmdline")).Split('\0');
                if (commandLine.Contains("tuneforge_worker") && commandLine.Contains(output)) pids.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return pids;
    }

    private static string Python => PythonReference.Python
        ?? throw new InvalidOperationException(PythonReference.MissingReason + " (.ci/run installs python3-torch)");

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Tuneforge.slnx"))) return folder.FullName;
        throw new InvalidOperationException("The repository root (Tuneforge.slnx) is not above the test assembly.");
    }
}

/// <summary>What a worker run printed: its exit code, the events on stdout, the raw lines and stderr.</summary>
public sealed record WorkerRun(int ExitCode, IReadOnlyList<EngineEvent> Events, IReadOnlyList<string> Lines, string Stderr)
{
    public IEnumerable<StepEvent> Steps => Events.OfType<StepEvent>();
    public ResultEvent? Result => Events.OfType<ResultEvent>().LastOrDefault();

    public override string ToString() => $"exit {ExitCode}\n{string.Join("\n", Lines.TakeLast(12))}\n{string.Join("\n", Stderr.Split('\n').TakeLast(25))}";
}

/// <summary>
/// A fact that needs Python with torch and torch.distributed. Outside CI it is skipped with the reason when they are
/// missing; under CI=true it runs and fails, since .ci/run installs them.
/// </summary>
public sealed class WorkerFactAttribute : FactAttribute
{
    public WorkerFactAttribute()
    {
        if (PythonReference.Python is null && Environment.GetEnvironmentVariable("CI") != "true")
            Skip = PythonReference.MissingReason + "; the PyTorch worker's tests need it (CI installs it and fails instead of skipping)";
    }
}
