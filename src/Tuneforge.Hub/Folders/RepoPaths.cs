namespace Tuneforge.Hub.Folders;

/// <summary>Checks on file paths that come from a repository listing or an index, before they touch the disk.</summary>
public static class RepoPaths
{
    /// <summary>
    /// True for a forward-slash relative path with no empty, "." or ".." component, no backslash and no drive:
    /// a name that cannot escape the folder it is joined to.
    /// </summary>
    public static bool IsSafeRelativePath(string path)
    {
        if (path.Length == 0 || path.Length > 1024 || path.StartsWith('/') || path.Contains('\\') || path.Contains(':'))
            return false;
        if (path.Any(char.IsControl))
            return false;
        return path.Split('/').All(part => part.Length > 0 && part != "." && part != "..");
    }
}
