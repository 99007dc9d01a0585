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

    private static long? Read(string key)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return null;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts is { Length: >= 2 } && long.TryParse(parts[1], out var kb) ? kb * 1024 : null;
    }
}
