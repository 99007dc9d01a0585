using System.Diagnostics;
using System.Text;

namespace Tuneforge.TestSupport.Processes;

/// <summary>A started process (output redirected) whose stdout and stderr are collected as they come, to wait for a line
/// of it or for its exit; killed with its tree on dispose if it still runs.</summary>
public sealed class RunningProcess : IDisposable
{
    readonly StringBuilder text = new();

    public RunningProcess(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) => { lock (text) text.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (text) text.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public int Id => Process.Id;

    public string Output { get { lock (text) return text.ToString(); } }

    /// <summary>Waits until <paramref name="condition"/> holds; throws, with the output so far, if the process exits first or time runs out.</summary>
    public void WaitUntil(Func<bool> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (Process.HasExited) throw new InvalidOperationException($"the process exited ({Process.ExitCode}) before {what}:\n{Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the process never got to {what} within {timeout.TotalSeconds:0} s:\n{Output}");
            Thread.Sleep(50);
        }
    }

    /// <summary>Waits for the exit and the end of the output; returns how long that took. Kills it and throws past the limit.</summary>
    public TimeSpan WaitForExit(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        if (!Process.WaitForExit(limit))
        {
            Process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the process did not exit within {limit.TotalSeconds:0} s:\n{Output}");
        }
        Process.WaitForExit();
        return clock.Elapsed;
    }

    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Process.Dispose();
    }
}
