using System.Text.Json;

namespace Tuneforge.Serve.Api;

/// <summary>Typed reads of a request object's fields; a wrong type is an <see cref="ApiError"/> naming the field by its path.</summary>
internal readonly struct JsonFields(JsonElement value, string path = "")
{
    public JsonElement Value => value;

    public string PathOf(string key) => path.Length == 0 ? key : $"{path}.{key}";

    /// <summary>Present and not null.</summary>
    public bool Has(string key) => value.TryGetProperty(key, out var field) && field.ValueKind != JsonValueKind.Null;

    public JsonElement? Get(string key) => value.TryGetProperty(key, out var field) && field.ValueKind != JsonValueKind.Null ? field : null;

    public string? String(string key) => Get(key) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } field => field.GetString(),
        var field => throw Wrong(key, "a string", field.Value),
    };

    public string RequiredString(string key) => String(key) ?? throw ApiError.Invalid(PathOf(key), "is required");

    public double? Number(string key) => Get(key) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } field => field.GetDouble(),
        var field => throw Wrong(key, "a number", field.Value),
    };

    public int? Integer(string key) => Get(key) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } field when field.TryGetInt32(out var number) => number,
        var field => throw Wrong(key, "an integer", field.Value),
    };

    public long? Long(string key) => Get(key) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } field when field.TryGetInt64(out var number) => number,
        var field => throw Wrong(key, "an integer", field.Value),
    };

    public bool? Boolean(string key) => Get(key) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        var field => throw Wrong(key, "true or false", field.Value),
    };

    public JsonFields Object(string key) => Get(key) switch
    {
        { ValueKind: JsonValueKind.Object } field => new JsonFields(field, PathOf(key)),
        null => throw ApiError.Invalid(PathOf(key), "is required"),
        var field => throw Wrong(key, "an object", field.Value),
    };

    private ApiError Wrong(string key, string expected, JsonElement found) =>
        ApiError.Invalid(PathOf(key), $"must be {expected}, found {Kind(found)}");

    public static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{Shorten(element.GetString()!)}\"",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        _ => "null",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
