using System.Text.Json.Nodes;

namespace Tuneforge.Engine.Quantization;

/// <summary>
/// Weight-only quantization of the decoder's linear layers: int8 with one scale per output channel, or int4 with a
/// scale and a minimum per group of <see cref="GroupSize"/> input values. Embeddings, norms and biases keep their dtype
/// (as bitsandbytes' and AWQ's int8/int4 do): activations stay in the compute dtype.
/// </summary>
public sealed record WeightQuantization(int Bits, int GroupSize)
{
    public static readonly WeightQuantization Int8 = new(8, 0);

    public static WeightQuantization Int4(int groupSize) => groupSize is 32 or 64 or 128
        ? new WeightQuantization(4, groupSize)
        : throw new ArgumentException($"int4 group size {groupSize} is not supported; use 32, 64 or 128");

    /// <summary>int8 or int4 (with <paramref name="groupSize"/>).</summary>
    public static WeightQuantization Parse(string name, int groupSize) => name.Trim().ToLowerInvariant() switch
    {
        "int8" => Int8,
        "int4" => Int4(groupSize),
        _ => throw new ArgumentException($"weight quantization '{name}' is not known; use int8 or int4"),
    };

    public string Name => Bits == 8 ? "int8" : "int4";

    /// <summary>config.json's <c>quantization_config</c> for a folder of this engine's quantized weights.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["quant_method"] = QuantMethod,
            ["bits"] = Bits,
            ["scheme"] = Bits == 8 ? "symmetric_per_output_channel" : "asymmetric_group",
        };
        if (Bits == 4) json["group_size"] = GroupSize;
        json["modules"] = new JsonArray(Models.Layers.Attention.ProjectionNames.Concat(Models.Layers.Mlp.ProjectionNames).Select(n => (JsonNode)n).ToArray());
        return json;
    }

    public const string QuantMethod = "tuneforge";

    /// <summary>Reads <c>quantization_config</c>; <paramref name="source"/> names the file in errors.</summary>
    public static WeightQuantization FromJson(JsonNode? node, string source)
    {
        if (node is not JsonObject json || json["quant_method"]?.GetValue<string>() != QuantMethod)
            throw new InvalidDataException($"{source}: quantization_config is missing or not written by tuneforge (quant_method: \"{QuantMethod}\")");
        var bits = json["bits"]?.GetValue<int>() ?? throw new InvalidDataException($"{source}: quantization_config.bits is missing");
        return bits switch
        {
            8 => Int8,
            4 => Int4(json["group_size"]?.GetValue<int>() ?? throw new InvalidDataException($"{source}: quantization_config.group_size is missing")),
            _ => throw new InvalidDataException($"{source}: quantization_config.bits {bits} is not 8 or 4"),
        };
    }
}
