namespace Tuneforge.Data.Tests;

/// <summary>Files of the repository the tests read (sample data, the shipped tokenizer).</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Tuneforge.slnx"))) return folder.FullName;
        throw new InvalidOperationException("The repository root (Tuneforge.slnx) is not above the test assembly.");
    }
}
