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
        return OfModel(model, rootDirectory)
            ?? throw new DataException($"clean.min_tokens/max_tokens need a tokenizer, and the model's ({model.Source}) is not on this machine; set clean.tokenizer to a folder with tokenizer.json.");
    }

    /// <summary>The model's tokenizer folder when it is on this machine without downloading: a preset's shipped one or a
    /// local model folder; null for a Hub model.</summary>
    public static string? OfModel(ModelSpec model, string rootDirectory)
    {
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
        return null;
    }

    /// <summary>The tokenizer Inspect shows tokens of: inspect.tokenizer, else the model's.</summary>
    public static string ForInspect(InspectSpec inspect, ModelSpec model, string rootDirectory) =>
        inspect.Tokenizer is { Length: > 0 } folder ? Path.GetFullPath(folder, rootDirectory)
        : OfModel(model, rootDirectory) ?? throw new DataException(
            $"inspect.tokenizer: the model's tokenizer ({model.Source}) is not on this machine; set inspect.tokenizer to a folder with its tokenizer.json and tokenizer_config.json.");
}
