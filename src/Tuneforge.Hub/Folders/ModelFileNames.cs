namespace Tuneforge.Hub.Folders;

/// <summary>The file names of a Hugging Face causal-LM folder.</summary>
public static class ModelFileNames
{
    /// <summary><c>config.json</c>.</summary>
    public const string Config = "config.json";
    /// <summary><c>generation_config.json</c>.</summary>
    public const string GenerationConfig = "generation_config.json";
    /// <summary><c>model.safetensors</c>.</summary>
    public const string Weights = "model.safetensors";
    /// <summary><c>model.safetensors.index.json</c>.</summary>
    public const string WeightIndex = "model.safetensors.index.json";
    /// <summary><c>tokenizer.json</c>.</summary>
    public const string Tokenizer = "tokenizer.json";
    /// <summary><c>tokenizer_config.json</c>.</summary>
    public const string TokenizerConfig = "tokenizer_config.json";
    /// <summary><c>special_tokens_map.json</c>.</summary>
    public const string SpecialTokensMap = "special_tokens_map.json";
    /// <summary><c>chat_template.jinja</c>.</summary>
    public const string ChatTemplate = "chat_template.jinja";

    /// <summary>The small files a causal LM needs besides its weights.</summary>
    public static IReadOnlyList<string> Metadata { get; } =
        [Config, GenerationConfig, Tokenizer, TokenizerConfig, SpecialTokensMap, ChatTemplate];

    /// <summary>Weight formats Tuneforge does not read (pickles, TensorFlow, Flax).</summary>
    public static bool IsForeignWeightFormat(string name) =>
        name.EndsWith(".bin", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".pth", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".pt", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".msgpack", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".h5", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".ckpt", StringComparison.OrdinalIgnoreCase);
}
