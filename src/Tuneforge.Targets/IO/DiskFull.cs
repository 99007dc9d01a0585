namespace Tuneforge.Targets;

/// <summary>Recognizes a write that failed for want of space: a full disk (ENOSPC), a quota (EDQUOT) or a file size
/// limit such as <c>ulimit -f</c> (EFBIG, which .NET reports as an ArgumentOutOfRangeException from System.IO).</summary>
public static class DiskFull
{
    const int ENOSPC = 28, EFBIG = 27, EDQUOT = 122;
    const int WindowsDiskFull = unchecked((int)0x80070070), WindowsHandleDiskFull = unchecked((int)0x80070027);

    public static bool Is(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is IOException { HResult: ENOSPC or EFBIG or EDQUOT or WindowsDiskFull or WindowsHandleDiskFull }) return true;
            if (e is ArgumentOutOfRangeException { ParamName: "value" } && e.TargetSite?.DeclaringType?.Namespace == "System.IO") return true;
        }
        return false;
    }

    /// <summary>What a user reads when a cached target's output did not fit: nothing was committed, nothing was lost.</summary>
    public static BuildException Failure(string target, Exception exception, string cacheDirectory) => new(
        $"{target} ran out of disk space while writing its output (the disk is full, or a quota or file size limit was reached): " +
        $"{exception.Message}. Nothing was committed: the entries already in {cacheDirectory} are kept. " +
        "Free space (./build.sh Prune --keep 1 removes old entries) and run again.", exception);
}
