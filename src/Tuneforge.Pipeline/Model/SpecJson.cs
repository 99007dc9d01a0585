using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Tuneforge.Files;

namespace Tuneforge.Pipeline.Model;

/// <summary>JSON of spec sections with the YAML key names: canonical (sorted keys, compact) for cache keys,
/// and readable for job files that the engine reads back.</summary>
public static class SpecJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };

    /// <summary>Sorted keys, no whitespace: the same value always gives the same bytes.</summary>
    public static string Canonical<T>(T value) => CanonicalJson.Compact(JsonSerializer.SerializeToNode(value, Options));

    public static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new JsonException($"Expected a {typeof(T).Name}, found null.");
}
