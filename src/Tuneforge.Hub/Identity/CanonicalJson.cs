using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tuneforge.Hub.Identity;

/// <summary>JSON with object keys sorted (ordinal) and no whitespace, so equal values give equal text.</summary>
internal static class CanonicalJson
{
    public static string Write(JsonNode? node) => Sort(node)?.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) ?? "null";

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sort(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Sort).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}
