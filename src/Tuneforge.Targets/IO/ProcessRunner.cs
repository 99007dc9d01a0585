using System.Diagnostics;

namespace Tuneforge.Targets;

/// <summary>Runs a child process, streaming its lines as they come. A cancelled build stops the whole process tree:
/// SIGTERM to each process, then SIGKILL to what is left after the grace period.</summary>
public static class ProcessRunner
{
    /// <summary>Set in every child's environment to the build's process id: a child that knows it (the engine)
    /// stops itself when the build is gone, even after a SIGKILL that left the build no time to stop it.</summary>
    public const string ParentPidVariable = "TUNEFORGE_PARENT_PID";

    static readonly TimeSpan DefaultStopGrace = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory,
        Action<string> onOutput, Action<string>? onError = null, IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellation = default, TimeSpan? stopGrace = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment[ParentPidVariable] = Environment.ProcessId.ToString();
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) onOutput(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) (onError ?? onOutput)(e.Data); };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BuildException($"Cannot start '{fileName}': {e.Message}");
        }
        using var tracked = ChildProcesses.Track(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Task? stopping = null;
        await using (cancellation.Register(() => stopping = ProcessTree.StopAsync(process, stopGrace ?? DefaultStopGrace)))
            await process.WaitForExitAsync(CancellationToken.None);
        if (stopping is not null) await stopping;
        cancellation.ThrowIfCancellationRequested();
        return process.ExitCode;
    }
}
