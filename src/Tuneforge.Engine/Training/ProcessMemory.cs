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
        return File.ReadLines(status).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal)) is { } line ? Kilobytes(line, key) : null;
    }

    /// <summary>The bytes of a /proc status line such as "VmHWM:\t  123456 kB": a tab, then the number right-aligned in
    /// eight places, so from 10⁷ kB (9.5 GiB) on nothing but the tab stands before it.</summary>
    internal static long? Kilobytes(string line, string key)
    {
        var value = line[key.Length..].Trim();
        if (value.EndsWith(" kB", StringComparison.Ordinal)) value = value[..^3].TrimEnd();
        return long.TryParse(value, out var kb) ? kb * 1024 : null;
    }
}
