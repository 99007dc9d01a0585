using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tuneforge.Engine.Models;

/// <summary>The parts of a Hugging Face config.json that shape a decoder-only model.</summary>
public sealed record ModelConfig
{
    public required ModelArchitecture Architecture { get; init; }
    public required int VocabSize { get; init; }
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int NumHiddenLayers { get; init; }
    public required int NumAttentionHeads { get; init; }
    public required int NumKeyValueHeads { get; init; }
    /// <summary><c>head_dim</c> when config.json gives it (Qwen3, some Llamas), else hidden / heads.</summary>
    public required int HeadDim { get; init; }
    public double RmsNormEps { get; init; } = 1e-6;
    public double RopeTheta { get; init; } = 10000;
    public RopeScaling? RopeScaling { get; init; }
    public bool TieWordEmbeddings { get; init; }
    public bool AttentionBias { get; init; }
    public bool MlpBias { get; init; }
    public int MaxPositionEmbeddings { get; init; } = 4096;
    public double InitializerRange { get; init; } = 0.02;
    public int? BosTokenId { get; init; }
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    public string TorchDtype { get; init; } = "float32";

    public ArchitectureTraits Traits => ArchitectureTraits.Of(Architecture, AttentionBias);

    /// <summary>Value equality, with the EOS ids compared as a sequence.</summary>
    public bool Equals(ModelConfig? other) =>
        other is not null
        && (Architecture, VocabSize, HiddenSize, IntermediateSize, NumHiddenLayers, NumAttentionHeads, NumKeyValueHeads, HeadDim)
            == (other.Architecture, other.VocabSize, other.HiddenSize, other.IntermediateSize, other.NumHiddenLayers, other.NumAttentionHeads, other.NumKeyValueHeads, other.HeadDim)
        && (RmsNormEps, RopeTheta, RopeScaling, TieWordEmbeddings, AttentionBias, MlpBias, MaxPositionEmbeddings, InitializerRange, BosTokenId, TorchDtype)
            == (other.RmsNormEps, other.RopeTheta, other.RopeScaling, other.TieWordEmbeddings, other.AttentionBias, other.MlpBias, other.MaxPositionEmbeddings, other.InitializerRange, other.BosTokenId, other.TorchDtype)
        && EosTokenIds.SequenceEqual(other.EosTokenIds);

    public override int GetHashCode() => HashCode.Combine(Architecture, VocabSize, HiddenSize, NumHiddenLayers, HeadDim, TorchDtype);

    /// <summary>Reads and validates <paramref name="path"/> (a config.json).</summary>
    public static ModelConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new ModelConfigException($"{path}: not found. A model folder needs the config.json of its checkpoint.");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses config.json text; <paramref name="source"/> names it in errors.</summary>
    public static ModelConfig Parse(string json, string source)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject
                ?? throw new ModelConfigException($"{source}: expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new ModelConfigException($"{source}: invalid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message}");
        }
        return new ConfigReader(root, source).Read();
    }

    /// <summary>config.json as Hugging Face writes it for this architecture.</summary>
    public JsonObject ToJson()
    {
        var traits = Traits;
        var json = new JsonObject
        {
            ["architectures"] = new JsonArray(traits.HfName),
            ["model_type"] = traits.ModelType,
            ["vocab_size"] = VocabSize,
            ["hidden_size"] = HiddenSize,
            ["intermediate_size"] = IntermediateSize,
            ["num_hidden_layers"] = NumHiddenLayers,
            ["num_attention_heads"] = NumAttentionHeads,
            ["num_key_value_heads"] = NumKeyValueHeads,
            ["head_dim"] = HeadDim,
            ["hidden_act"] = "silu",
            ["rms_norm_eps"] = RmsNormEps,
            ["rope_theta"] = RopeTheta,
            ["rope_scaling"] = RopeScaling is null ? null : new JsonObject
            {
                ["rope_type"] = RopeScaling.Type,
                ["factor"] = RopeScaling.Factor,
                ["low_freq_factor"] = RopeScaling.LowFreqFactor,
                ["high_freq_factor"] = RopeScaling.HighFreqFactor,
                ["original_max_position_embeddings"] = RopeScaling.OriginalMaxPositionEmbeddings,
            },
            ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["tie_word_embeddings"] = TieWordEmbeddings,
            ["attention_bias"] = AttentionBias,
            ["attention_dropout"] = 0.0,
            ["initializer_range"] = InitializerRange,
            ["use_cache"] = true,
            ["torch_dtype"] = TorchDtype,
        };
        if (Architecture == ModelArchitecture.Llama) json["mlp_bias"] = MlpBias;
        if (Architecture == ModelArchitecture.Qwen2) json["use_sliding_window"] = false;
        if (BosTokenId is int bos) json["bos_token_id"] = bos;
        if (EosTokenIds.Count == 1) json["eos_token_id"] = EosTokenIds[0];
        else if (EosTokenIds.Count > 1) json["eos_token_id"] = new JsonArray(EosTokenIds.Select(id => (JsonNode)id).ToArray());
        return json;
    }
}
