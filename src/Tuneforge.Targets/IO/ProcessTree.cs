using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Tuneforge.Targets;

/// <summary>A child process and everything it started: asked to stop (SIGTERM to each), then killed (SIGKILL to each).
/// The tree is taken before the first signal, so grandchildren whose parent dies first are still found.</summary>
public static class ProcessTree
{
    const int SigTerm = 15;
    const int SigKill = 9;

    /// <summary>Asks the tree to stop, waits up to <paramref name="grace"/> for the root to exit, then kills what is left.</summary>
    public static async Task StopAsync(Process root, TimeSpan grace)
    {
        if (OperatingSystem.IsWindows())
        {
            Kill(root); // no SIGTERM to ask with
            return;
        }
        var tree = Snapshot(root.Id);
        foreach (var pid in tree) Signal(pid, SigTerm);
        using var waited = new CancellationTokenSource(grace);
        try
        {
            await root.WaitForExitAsync(waited.Token);
        }
        catch (OperationCanceledException)
        {
        }
        Kill(root, tree);
    }

    /// <summary>Kills the tree at once.</summary>
    public static void Kill(Process root) => Kill(root, Snapshot(root.Id));

    // Descendants that appeared since the snapshot are taken again, so a tree that kept forking is killed too.
    static void Kill(Process root, IReadOnlyList<int> snapshot)
    {
        if (OperatingSystem.IsLinux())
            foreach (var pid in snapshot.Concat(Snapshot(root.Id)).Distinct()) Signal(pid, SigKill);
        else
            try { root.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    /// <summary>The process and its descendants, parents first (from /proc on Linux; only the process elsewhere).</summary>
    public static IReadOnlyList<int> Snapshot(int rootPid)
    {
        if (!OperatingSystem.IsLinux()) return [rootPid];
        var children = ParentsById().ToLookup(p => p.Value, p => p.Key);
        var tree = new List<int> { rootPid };
        for (var i = 0; i < tree.Count; i++) tree.AddRange(children[tree[i]]);
        return tree;
    }

    static Dictionary<int, int> ParentsById()
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
            {
                // The process ended while the table was read.
            }
        }
        return parents;
    }

    static void Signal(int pid, int signal)
    {
        if (pid > 1) _ = SendSignal(pid, signal); // a process that already ended (ESRCH) needs nothing
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int SendSignal(int pid, int signal);
}
