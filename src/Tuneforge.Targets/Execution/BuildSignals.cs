using System.Runtime.InteropServices;

namespace Tuneforge.Targets;

/// <summary>
/// Ctrl-C, SIGTERM (docker stop, systemd, a CI cancel) and SIGHUP (a closed terminal) while targets run. The first
/// cancels the build: the running target stops its child processes, no cache entry is committed, locks are released.
/// The second kills every child process and exits at once.
/// </summary>
internal sealed class BuildSignals : IDisposable
{
    readonly CancellationTokenSource cancellation;
    readonly List<PosixSignalRegistration> registrations = [];
    int received;

    public BuildSignals(CancellationTokenSource cancellation)
    {
        this.cancellation = cancellation;
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
        {
            try
            {
                registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
            }
            catch (PlatformNotSupportedException)
            {
                // Windows has no SIGHUP; Ctrl-C and closing the console are still handled.
            }
        }
    }

    /// <summary>The first signal received, or null.</summary>
    public PosixSignal? First { get; private set; }

    /// <summary>The shell's convention for a process ended by a signal: 128 + its number (130 for SIGINT, 143 for SIGTERM).</summary>
    public static int ExitCode(PosixSignal signal) => 128 + signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGQUIT => 3,
        PosixSignal.SIGTERM => 15,
        _ => 0,
    };

    void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // the runtime's default would end the build without stopping its children
        if (Interlocked.Increment(ref received) == 1)
        {
            First = context.Signal;
            Log.Warning($"{Name(context.Signal)} received: stopping the running target and the processes it started ({Name(context.Signal)} again kills them at once).");
            cancellation.Cancel();
            return;
        }
        Log.Warning($"{Name(context.Signal)} received again: killing every process the build started and exiting now.");
        ChildProcesses.KillAll();
        Environment.Exit(ExitCode(First ?? context.Signal));
    }

    static string Name(PosixSignal signal) => signal == PosixSignal.SIGINT ? "Ctrl-C (SIGINT)" : signal.ToString();

    public void Dispose()
    {
        foreach (var registration in registrations) registration.Dispose();
    }
}
