namespace Tuneforge.Files;

/// <summary>Fills a folder under a temporary name beside it and renames it into place, replacing an older one, so a
/// reader never finds a half-written folder at the final path and a failure leaves nothing behind.</summary>
public static class AtomicDirectory
{
    /// <summary>Calls <paramref name="fill"/> with an empty staging folder, then makes it <paramref name="directory"/>.</summary>
    public static void Write(string directory, Action<string> fill)
    {
        var target = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        var staging = $"{target}.partial-{Environment.ProcessId}-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        try
        {
            fill(staging);
            Replace(staging, target);
        }
        catch
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    // An existing folder is moved aside first (one rename), then the new one takes its name, then the old is deleted.
    static void Replace(string staging, string target)
    {
        string? old = null;
        if (Directory.Exists(target))
        {
            old = $"{target}.old-{Environment.ProcessId}-{Guid.NewGuid():N}";
            Directory.Move(target, old);
        }
        Directory.Move(staging, target);
        if (old is not null) Directory.Delete(old, recursive: true);
    }
}
