using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tuneforge.Text.Jinja;

/// <summary>Render arguments as Jinja values: JSON as Python's json.loads reads it (1 an int, 1.0 a float), CLR values alike.</summary>
internal static class JinjaValues
{
    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => Dict(obj.Select(p => (p.Key, FromJson(p.Value)))),
        JsonArray array => new ListValue(array.Select(FromJson).ToArray()),
        JsonValue value => FromJsonValue(value),
        _ => throw new ArgumentException($"Unexpected JSON node {node.GetType().Name}."),
    };

    public static DictValue Dict(IEnumerable<(string Key, object? Value)> items)
    {
        var dict = new DictValue();
        foreach ((string key, object? value) in items)
        {
            dict.Set(key, value);
        }

        return dict;
    }

    private static object? FromJsonValue(JsonValue value)
    {
        JsonValueKind kind = value.GetValueKind();
        return kind switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            JsonValueKind.Number => Number(value.ToJsonString()),
            _ => throw new ArgumentException($"Unexpected JSON value {kind}."),
        };
    }

    private static object Number(string raw)
    {
        bool isFloat = raw.AsSpan().IndexOfAny('.', 'e', 'E') >= 0;
        if (!isFloat && long.TryParse(raw, System.Globalization.CultureInfo.InvariantCulture, out long integer))
        {
            return integer;
        }

        return double.Parse(raw, System.Globalization.CultureInfo.InvariantCulture);
    }
}
