using System.Text.Json.Nodes;
using Tuneforge.Files;

namespace Tuneforge.Packaging.Manifest;

/// <summary>
/// Removes measurements of time and speed (<c>train_runtime</c>, <c>eval_runtime</c>, <c>*_per_second</c>, <c>*_seconds</c>) from a JSON
/// document: they differ between two runs of the same training, so a release that kept them could not be byte-identical.
/// </summary>
public static class TimingFields
{
    public static bool IsTiming(string key) =>
        key.EndsWith("_runtime", StringComparison.Ordinal) || key.EndsWith("_per_second", StringComparison.Ordinal)
        || key.EndsWith("_seconds", StringComparison.Ordinal) || key is "seconds" or "total_flos" or "tokens_per_s";

    /// <summary>The document without timing fields, as canonical JSON.</summary>
    public static string Strip(string json, string source)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{source}:{e.LineNumber + 1}: invalid JSON: {e.Message}", e);
        }
        Remove(root);
        return CanonicalJson.Indented(root);
    }

    private static void Remove(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject json:
                foreach (var key in json.Select(p => p.Key).Where(IsTiming).ToList()) json.Remove(key);
                foreach (var (_, value) in json) Remove(value);
                break;
            case JsonArray array:
                foreach (var item in array) Remove(item);
                break;
        }
    }
}
