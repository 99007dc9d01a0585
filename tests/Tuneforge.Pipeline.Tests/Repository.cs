namespace Tuneforge.Pipeline.Tests;

/// <summary>The repository this test assembly was built from (the folder with .nuke/).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    public static string File(string relative) => Path.Combine(Root, relative);

    static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (Directory.Exists(Path.Combine(directory.FullName, ".nuke"))) return directory.FullName;
        throw new InvalidOperationException("The repository root (with .nuke/) was not found above " + AppContext.BaseDirectory);
    }
}
