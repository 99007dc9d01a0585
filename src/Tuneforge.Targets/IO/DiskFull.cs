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
}
