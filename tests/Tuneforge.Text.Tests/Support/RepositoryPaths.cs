namespace Tuneforge.Text.Tests;

/// <summary>Paths in the repository, found by walking up to Tuneforge.slnx.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tuneforge.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Tuneforge.slnx not found above {AppContext.BaseDirectory}.");
    });

    public static string Root => RootPath.Value;

    public static string DeepSeekTokenizer => Path.Combine(Root, "data", "tokenizers", "deepseek-r1");

    public static string QwenTokenizer => Path.Combine(Root, "data", "tokenizers", "qwen3");

    public static string ParityCorpus => Path.Combine(Root, "tests", "Tuneforge.Text.Tests", "TestData", "parity-corpus.jsonl");
}
