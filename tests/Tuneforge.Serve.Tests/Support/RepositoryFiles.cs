namespace Tuneforge.Serve.Tests.Support;

/// <summary>Paths in the repository the tests run from.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Tokenizer(string name) => Path.Combine(Root, "data", "tokenizers", name);

    /// <summary>The engine the build compiles (the tests' project reference builds it first).</summary>
    public static string EngineDll => Path.Combine(Root, "src", "Tuneforge.Engine.Cli", "bin", "Release", "net10.0", "tuneforge-engine.dll");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Tuneforge.slnx"))) return folder.FullName;
        }
        throw new InvalidOperationException($"no Tuneforge.slnx above {AppContext.BaseDirectory}");
    }
}
