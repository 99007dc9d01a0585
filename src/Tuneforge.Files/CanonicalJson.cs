using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tuneforge.Files;

/// <summary>JSON with one spelling per value: object keys sorted (ordinal), UTF-8 text unescaped. <see cref="Compact"/>
/// (no whitespace) is what cache keys and identities hash; <see cref="Indented"/> (2 spaces, "\n", a final newline)
/// is what released files hold.</summary>
public static class CanonicalJson
{
    static readonly JsonSerializerOptions CompactOptions = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static readonly JsonWriterOptions IndentedOptions = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Compact(JsonNode? node) => Sorted(node)?.ToJsonString(CompactOptions) ?? "null";

    public static string Indented(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, IndentedOptions)) Sorted(node).WriteOrNull(writer);
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>A copy of <paramref name="node"/> with every object's keys in ordinal order.</summary>
    public static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };

    static void WriteOrNull(this JsonNode? node, Utf8JsonWriter writer)
    {
        if (node is null) writer.WriteNullValue();
        else node.WriteTo(writer);
    }
}
