namespace Tuneforge.Text;

/// <summary>
/// Names the pre-tokenizer of a tokenizer.json the way llama.cpp's <c>tokenizer.ggml.pre</c> does, from its regexes.
/// </summary>
internal static class PreTokenizerKinds
{
    public const string Gpt2Pattern =
        @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private static readonly (string Kind, string[] Patterns)[] Known =
    [
        ("deepseek-v3",
        [
            @"\p{N}{1,3}",
            "[\u4e00-\u9fa5\u3040-\u309f\u30a0-\u30ff]+",
            "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+",
        ]),
        ("qwen2",
        [
            @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+",
        ]),
        ("llama-bpe",
        [
            @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+",
        ]),
        ("gpt-2", [Gpt2Pattern]),
    ];

    /// <summary>The kind whose regexes these are (in order), or null for a pre-tokenizer llama.cpp has no name for.</summary>
    public static string? Identify(IReadOnlyList<SplitRule> rules)
    {
        if (rules.Any(r => r.Behavior != SplitBehavior.Isolated || r.Invert))
        {
            return null;
        }

        foreach ((string kind, string[] patterns) in Known)
        {
            if (patterns.SequenceEqual(rules.Select(r => r.Source), StringComparer.Ordinal))
            {
                return kind;
            }
        }

        return null;
    }
}
