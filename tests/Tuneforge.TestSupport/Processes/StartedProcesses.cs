using System.Text;

namespace Tuneforge.TestSupport.Processes;

/// <summary>Every live process a build started, children and grandchildren alike, wherever they were reparented: the
/// build's ProcessRunner puts TUNEFORGE_PARENT_PID=&lt;build pid&gt; into each child's environment and descendants inherit it.</summary>
public static class StartedProcesses
{
    public sealed record Entry(int Pid, string CommandLine)
    {
        public override string ToString() => $"{Pid,7}  {CommandLine}";
    }

    public static IReadOnlyList<Entry> Of(int buildPid)
    {
        var marker = $"TUNEFORGE_PARENT_PID={buildPid}";
        var found = new List<Entry>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                var environment = File.ReadAllText(Path.Combine(directory, "environ"), Encoding.Latin1).Split('\0');
                if (!environment.Contains(marker)) continue;
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim();
                found.Add(new Entry(pid, commandLine.Length > 160 ? commandLine[..157] + "..." : commandLine));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // ended while being read
            }
        }
        return found;
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the build's processes, or the time is up; returns the last listing.</summary>
    public static IReadOnlyList<Entry> WaitFor(int buildPid, Func<IReadOnlyList<Entry>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var processes = Of(buildPid);
            if (condition(processes) || DateTime.UtcNow > deadline) return processes;
            Thread.Sleep(100);
        }
    }

    public static string Listing(IReadOnlyList<Entry> processes) =>
        processes.Count == 0 ? "    (none)" : string.Join("\n", processes.Select(p => $"    {p}"));
}
