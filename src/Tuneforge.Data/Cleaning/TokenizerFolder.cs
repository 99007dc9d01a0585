using Tuneforge.Hub.Sources;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Cleaning;

/// <summary>The tokenizer Clean's token filters count with: clean.tokenizer, else the model's when Clean can find it
/// without downloading (a local model folder, or a preset's shipped tokenizer).</summary>
public static class TokenizerFolder
{
    /// <summary>The folder, or null when the clean spec has no token filter and no tokenizer.</summary>
    public static string? Resolve(CleanSpec clean, ModelSpec model, string rootDirectory)
    {
        if (clean.Tokenizer is { Length: > 0 } explicitFolder) return Path.GetFullPath(explicitFolder, rootDirectory);
        if (clean.MinTokens is null && clean.MaxTokens is null) return null;
        var source = model.Source;
        if (source.StartsWith("preset:", StringComparison.Ordinal))
        {
            var name = source["preset:".Length..];
            if (PresetModelSource.TokenizerFolders.TryGetValue(name, out var folder)) return Path.Combine(rootDirectory, "data", "tokenizers", folder);
        }
        else if (!source.Contains("://", StringComparison.Ordinal))
        {
            var local = Path.GetFullPath(source, rootDirectory);
            if (File.Exists(Path.Combine(local, "tokenizer.json"))) return local;
        }
        throw new DataException($"clean.min_tokens/max_tokens need a tokenizer, and the model's ({source}) is not on this machine; set clean.tokenizer to a folder with tokenizer.json.");
    }
}
