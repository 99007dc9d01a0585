using System.Globalization;

namespace Tuneforge.Hub.Download;

/// <summary>Free disk space and the recognition of "disk full" errors.</summary>
internal static class DiskSpace
{
    public static long? AvailableBytes(string folder)
    {
        try
        {
            var existing = folder;
            while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
                existing = parent;
            return new DriveInfo(existing).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null; // Unknown: let the write itself fail if the disk is full.
        }
    }

    // ENOSPC is 28 on Linux and macOS (.NET puts the errno in HResult); Windows uses ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL.
    public static bool IsDiskFull(IOException e) =>
        OperatingSystem.IsWindows() ? (e.HResult & 0xFFFF) is 112 or 39 : e.HResult == 28;

    public static string Format(long bytes)
    {
        string[] units = ["bytes", "KB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }
        return unit == 0 ? $"{bytes} bytes" : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }
}
