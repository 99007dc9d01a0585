using System.Text.RegularExpressions;

namespace Tuneforge.Hub.Sources;

/// <summary>A model the engine creates from a named preset (for example <c>preset:tiny-r1</c>).</summary>
public sealed partial record PresetModelSource : ModelSource
{
    /// <summary>Creates a preset source; the name must be lower-case letters, digits, '-', '_' or '.'.</summary>
    public PresetModelSource(string name)
    {
        if (!NamePattern().IsMatch(name))
            throw new ModelSourceFormatException(PresetScheme + name, NameRule);
        Name = name;
    }

    /// <summary>The preset name, for example <c>tiny-r1</c>.</summary>
    public string Name { get; }

    /// <summary>The folder under <c>data/tokenizers/</c> whose files each preset ships with: the one list of presets that
    /// torch-free code (Clean's token filters) and the engine (which builds the weights) share.</summary>
    public static IReadOnlyDictionary<string, string> TokenizerFolders { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["tiny-r1"] = "deepseek-r1",
        ["tiny-r1-128"] = "deepseek-r1",
        ["tiny-r1-base"] = "deepseek-r1",
        ["r1-distill-qwen-1.5b-shape"] = "deepseek-r1",
        ["r1-distill-qwen-7b-shape"] = "deepseek-r1",
        ["r1-distill-llama-8b-shape"] = "llama3.1",
    };

    /// <summary>This preset's tokenizer folder under <c>data/tokenizers/</c>, or null for a name no preset has.</summary>
    public string? TokenizerFolder => TokenizerFolders.GetValueOrDefault(Name);

    private const string NameRule =
        "a preset name is lower-case letters, digits, '-', '_' or '.', starting with a letter or digit (for example preset:tiny-r1)";

    internal static PresetModelSource ParseBody(string original, string body)
    {
        if (body.Length == 0)
            throw new ModelSourceFormatException(original, "the preset name is missing (for example preset:tiny-r1)");
        if (!NamePattern().IsMatch(body))
            throw new ModelSourceFormatException(original, NameRule);
        return new PresetModelSource(body);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();

    /// <inheritdoc />
    public override string ToString() => PresetScheme + Name;
}
