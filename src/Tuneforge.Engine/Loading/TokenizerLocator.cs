using Tuneforge.Engine.Runtime;

namespace Tuneforge.Engine.Loading;

/// <summary>Finds the tokenizer files shipped with the engine (<c>tokenizers/NAME</c> beside it, or the repo's <c>data/tokenizers/NAME</c>).</summary>
public static class TokenizerLocator
{
    public static string Find(string name)
    {
        var candidates = new List<string> { Path.Combine(AppContext.BaseDirectory, "tokenizers", name) };
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
                candidates.Add(Path.Combine(folder.FullName, "data", "tokenizers", name));
        }
        return candidates.FirstOrDefault(c => File.Exists(Path.Combine(c, "tokenizer.json")))
            ?? throw new EngineException($"the shipped tokenizer '{name}' was not found (looked in {candidates[0]} and data/tokenizers/{name} above the engine and the current folder)",
                "Pass --tokenizer DIR with tokenizer.json and tokenizer_config.json.");
    }
}
