using System.Collections.Concurrent;
using System.Diagnostics;

namespace Tuneforge.Targets;

/// <summary>The child processes the build is running now, so that a second Ctrl-C or SIGTERM can kill them at once.</summary>
public static class ChildProcesses
{
    static readonly ConcurrentDictionary<Process, byte> Running = new();

    internal static IDisposable Track(Process process)
    {
        Running[process] = 0;
        return new Registration(process);
    }

    /// <summary>Kills every running child and its descendants, without waiting.</summary>
    public static void KillAll()
    {
        foreach (var process in Running.Keys) ProcessTree.Kill(process);
    }

    sealed class Registration(Process process) : IDisposable
    {
        public void Dispose() => Running.TryRemove(process, out _);
    }
}
