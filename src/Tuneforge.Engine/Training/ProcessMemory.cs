using System.Runtime.InteropServices;

namespace Tuneforge.Engine.Training;

/// <summary>Resident memory of this process from /proc (Linux); null elsewhere.</summary>
public static class ProcessMemory
{
    /// <summary>The peak resident set size (VmHWM) in bytes.</summary>
    public static long? PeakRssBytes() => Read("VmHWM:");

    /// <summary>The current resident set size (VmRSS) in bytes.</summary>
    public static long? RssBytes() => Read("VmRSS:");

    /// <summary>Starts the peak over from the current size (writes 5 to /proc/self/clear_refs); false where not possible.</summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Hands memory that is free but still held by the C heap back to the system (glibc's malloc_trim). Loading and
    /// quantizing leave many freed temporaries there, which would otherwise count as resident for the whole run.
    /// </summary>
    public static void ReturnFreedMemory()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Another C library (musl): nothing to trim.
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    private static long? Read(string key)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return null;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts is { Length: >= 2 } && long.TryParse(parts[1], out var kb) ? kb * 1024 : null;
    }
}
