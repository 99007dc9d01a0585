using System.Runtime.InteropServices;

namespace Tuneforge.Engine.Cli.Lifetime;

/// <summary>
/// Stops the engine when the build that started it is gone (killed with SIGKILL, so it could not stop its children):
/// without this a training run would go on with nobody to commit its result, and a server would keep the port.
/// PR_SET_PDEATHSIG is not used: it fires when the parent's *thread* that forked ends, and .NET starts children from
/// pool threads that come and go. The parent is polled instead.
/// </summary>
internal static class ParentWatch
{
    /// <summary>The build's process id, set by the build's ProcessRunner (Tuneforge.Targets.ProcessRunner.ParentPidVariable).</summary>
    public const string Variable = "TUNEFORGE_PARENT_PID";

    static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    /// <summary>Starts watching when the variable names a process; started by hand (no variable), the engine is never stopped.</summary>
    public static void Start(TextWriter errors)
    {
        if (OperatingSystem.IsWindows() || !int.TryParse(Environment.GetEnvironmentVariable(Variable), out var build) || build <= 1) return;
        var parent = GetParentPid();
        var thread = new Thread(() => Watch(build, parent, errors)) { IsBackground = true, Name = "parent watch" };
        thread.Start();
    }

    static void Watch(int build, int parent, TextWriter errors)
    {
        // Reparented (to init or a subreaper) means the direct parent died; the build may also be further up (a wrapper script).
        while (GetParentPid() == parent && parent != 1 && (parent == build || IsAlive(build))) Thread.Sleep(Interval);
        errors.WriteLine($"tuneforge-engine: the build (process {build}) that started this engine is gone; stopping.");
        errors.Flush();
        // As `docker stop`: SIGTERM (a server shuts down cleanly), then SIGKILL if that did not end the process.
        Kill(Environment.ProcessId, SigTerm);
        Thread.Sleep(StopGrace);
        Kill(Environment.ProcessId, SigKill);
    }

    static bool IsAlive(int pid) => Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == EPerm;

    const int SigTerm = 15;
    const int SigKill = 9;
    const int EPerm = 1;

    [DllImport("libc", EntryPoint = "getppid")]
    static extern int GetParentPid();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int Kill(int pid, int signal);
}
