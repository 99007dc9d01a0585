using Tuneforge.Engine.Runtime;

namespace Tuneforge.Engine.Loading;

/// <summary>Finds the tokenizer files shipped with the engine (<c>tokenizers/NAME</c> beside it, or the repo's <c>data/tokenizers/NAME</c>).</summary>
public static class TokenizerLocator
{
    public static string Find(string name) =>
        ShippedFolder.Find(Path.Combine("tokenizers", name), Path.Combine("data", "tokenizers", name), "tokenizer.json")
        ?? throw new EngineException($"the shipped tokenizer '{name}' was not found (looked in {Path.Combine(AppContext.BaseDirectory, "tokenizers", name)} and data/tokenizers/{name} above the engine and the current folder)",
            "Pass --tokenizer DIR with tokenizer.json and tokenizer_config.json.");
}
