using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tuneforge.Engine.Models;

/// <summary>Reads config.json keys with errors that name the file, the key and what was found.</summary>
internal sealed class ConfigReader(JsonObject root, string source)
{
    public ModelConfig Read()
    {
        var architectures = root["architectures"] as JsonArray;
        var name = architectures?.FirstOrDefault()?.GetValueKind() == JsonValueKind.String
            ? architectures![0]!.GetValue<string>()
            : throw Error("architectures", $"missing; expected e.g. [\"Qwen2ForCausalLM\"] (supported: {ArchitectureTraits.Supported})");
        if (!ArchitectureTraits.TryParse(name, out var architecture))
            throw Error("architectures", $"'{name}' is not supported (supported: {ArchitectureTraits.Supported})");

        var hidden = PositiveInt("hidden_size");
        var heads = PositiveInt("num_attention_heads");
        var kvHeads = OptionalInt("num_key_value_heads") ?? heads;
        if (kvHeads <= 0 || heads % kvHeads != 0)
            throw Error("num_key_value_heads", $"{kvHeads} must be positive and divide num_attention_heads ({heads})");
        var headDim = OptionalInt("head_dim");
        if (headDim is null && hidden % heads != 0)
            throw Error("hidden_size", $"{hidden} is not divisible by num_attention_heads ({heads}) and no head_dim is given");
        if (headDim is <= 0 || (headDim ?? hidden / heads) % 2 != 0)
            throw Error("head_dim", $"{headDim ?? hidden / heads} must be positive and even (RoPE rotates pairs)");
        if (OptionalBool("use_sliding_window") == true)
            throw Error("use_sliding_window", "true is not supported: the engine attends over the full context");
        var activation = OptionalString("hidden_act") ?? "silu";
        if (activation != "silu")
            throw Error("hidden_act", $"'{activation}' is not supported; these architectures use silu");

        return new ModelConfig
        {
            Architecture = architecture,
            VocabSize = PositiveInt("vocab_size"),
            HiddenSize = hidden,
            IntermediateSize = PositiveInt("intermediate_size"),
            NumHiddenLayers = PositiveInt("num_hidden_layers"),
            NumAttentionHeads = heads,
            NumKeyValueHeads = kvHeads,
            HeadDim = headDim ?? hidden / heads,
            RmsNormEps = OptionalDouble("rms_norm_eps") ?? 1e-6,
            RopeTheta = OptionalDouble("rope_theta") ?? 10000,
            RopeScaling = ReadRopeScaling(),
            TieWordEmbeddings = OptionalBool("tie_word_embeddings") ?? false,
            AttentionBias = OptionalBool("attention_bias") ?? false,
            MlpBias = architecture == ModelArchitecture.Llama && (OptionalBool("mlp_bias") ?? false), // only Llama has the option
            MaxPositionEmbeddings = OptionalInt("max_position_embeddings") ?? 4096,
            InitializerRange = OptionalDouble("initializer_range") ?? 0.02,
            BosTokenId = OptionalInt("bos_token_id"),
            EosTokenIds = ReadEosTokenIds(),
            TorchDtype = OptionalString("torch_dtype") ?? "float32",
        };
    }

    RopeScaling? ReadRopeScaling()
    {
        var node = root["rope_scaling"];
        if (node is null) return null;
        if (node is not JsonObject scaling) throw Error("rope_scaling", "expected an object or null");
        var nested = new ConfigReader(scaling, source);
        var type = nested.OptionalString("rope_type") ?? nested.OptionalString("type") ?? "default";
        if (!RopeScaling.SupportedTypes.Contains(type))
            throw Error("rope_scaling.rope_type", $"'{type}' is not supported (supported: {string.Join(", ", RopeScaling.SupportedTypes)})");
        if (type == "default") return null;
        var factor = nested.OptionalDouble("factor") ?? throw Error("rope_scaling.factor", "missing");
        if (factor <= 0) throw Error("rope_scaling.factor", $"{factor} must be positive");
        if (type == "linear") return new RopeScaling(type, factor);
        var low = nested.OptionalDouble("low_freq_factor") ?? throw Error("rope_scaling.low_freq_factor", "missing");
        var high = nested.OptionalDouble("high_freq_factor") ?? throw Error("rope_scaling.high_freq_factor", "missing");
        if (high <= low) throw Error("rope_scaling.high_freq_factor", $"{high} must exceed low_freq_factor ({low})");
        var original = nested.OptionalInt("original_max_position_embeddings")
            ?? throw Error("rope_scaling.original_max_position_embeddings", "missing");
        return new RopeScaling(type, factor, low, high, original);
    }

    IReadOnlyList<int> ReadEosTokenIds()
    {
        var node = root["eos_token_id"];
        return node switch
        {
            null => [],
            JsonArray array => array.Select((item, i) => AsInt(item, $"eos_token_id[{i}]")).ToArray(),
            _ => [AsInt(node, "eos_token_id")],
        };
    }

    int PositiveInt(string key)
    {
        var value = OptionalInt(key) ?? throw Error(key, "missing");
        return value > 0 ? value : throw Error(key, $"{value} must be positive");
    }

    int? OptionalInt(string key) => root[key] is { } node ? AsInt(node, key) : null;

    int AsInt(JsonNode? node, string key)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var result))
            return result;
        throw Error(key, $"expected an integer, found {node?.ToJsonString() ?? "null"}");
    }

    double? OptionalDouble(string key)
    {
        var node = root[key];
        if (node is null) return null;
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number) return value.GetValue<double>();
        throw Error(key, $"expected a number, found {node.ToJsonString()}");
    }

    bool? OptionalBool(string key)
    {
        var node = root[key];
        if (node is null) return null;
        if (node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return value.GetValue<bool>();
        throw Error(key, $"expected true or false, found {node.ToJsonString()}");
    }

    string? OptionalString(string key)
    {
        var node = root[key];
        if (node is null) return null;
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String) return value.GetValue<string>();
        throw Error(key, $"expected a string, found {node.ToJsonString()}");
    }

    ModelConfigException Error(string key, string problem) => new($"{source}: {key}: {problem}");
}
