using System.Diagnostics;

namespace Tuneforge.Targets;

/// <summary>Runs a child process, streaming its lines as they come; a cancelled build kills the whole process tree.</summary>
public static class ProcessRunner
{
    public static async Task<int> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory,
        Action<string> onOutput, Action<string>? onError = null, IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellation = default)
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
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await using var registration = cancellation.Register(() =>
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        });
        await process.WaitForExitAsync(CancellationToken.None);
        cancellation.ThrowIfCancellationRequested();
        return process.ExitCode;
    }
}
