using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Files;
using Tuneforge.Pipeline.Model;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Pipeline.Schema;

/// <summary>Generates the JSON schema of pipeline files (pipelines/schema.json) from the spec records,
/// for editor completion and validation.</summary>
public static class SpecSchema
{
    public static string Generate()
    {
        var schema = ObjectSchema(typeof(PipelineSpec), new PipelineSpec());
        schema["$schema"] = "http://json-schema.org/draft-07/schema#";
        schema["title"] = "Tuneforge pipeline";
        return CanonicalJson.Sorted(schema)!.ToJsonString(SpecJson.Indented) + "\n";
    }

    static JsonObject ObjectSchema(Type type, object defaults)
    {
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var property in SpecModel.PropertiesOf(type))
        {
            var value = property.Property.GetValue(defaults);
            properties[property.Name] = PropertySchema(property, value);
            if (property.IsRequired) required.Add(property.Name);
        }
        var schema = new JsonObject { ["type"] = "object", ["additionalProperties"] = false, ["properties"] = properties };
        if (required.Count > 0) schema["required"] = required;
        return schema;
    }

    static JsonObject PropertySchema(SpecProperty property, object? defaultValue)
    {
        var schema = TypeSchema(property.Type, defaultValue);
        if (property.Description is { } description) schema["description"] = description;
        if (property.Range is { } range)
        {
            var min = Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture);
            var max = Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
            schema[range.MinimumIsExclusive ? "exclusiveMinimum" : "minimum"] = min;
            if (max < int.MaxValue) schema[range.MaximumIsExclusive ? "exclusiveMaximum" : "maximum"] = max;
        }
        if (property.Pattern is { } pattern) schema["pattern"] = pattern.Pattern;
        if (property.MinLength is { } minLength) schema["minItems"] = minLength.Length;
        if (property.AllowedValues is { } allowed) schema["enum"] = new JsonArray(allowed.Values.Select(v => JsonValue.Create(v)).ToArray<JsonNode?>());
        if (defaultValue is not null && !SpecModel.IsSection(defaultValue.GetType()))
            schema["default"] = JsonSerializer.SerializeToNode(defaultValue, SpecJson.Options);
        if (property.IsNullable && schema["type"] is JsonValue t)
            schema["type"] = new JsonArray(t.GetValue<string>(), "null");
        return schema;
    }

    static JsonObject TypeSchema(Type type, object? defaults)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (SpecModel.IsSection(type)) return ObjectSchema(type, defaults ?? Activator.CreateInstance(type)!);
        if (SpecModel.ElementTypeOf(type) is { } element)
        {
            var items = TypeSchema(element, null);
            // One value is accepted where a list is expected (target_modules: all-linear).
            return new JsonObject { ["type"] = new JsonArray("array", items["type"]?.DeepClone()), ["items"] = items };
        }
        if (SpecModel.DictionaryValueTypeOf(type) is { } value)
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = TypeSchema(value, null) };
        if (type.IsEnum)
            return new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(SpecModel.EnumNames(type).Select(n => JsonValue.Create(n)).ToArray<JsonNode?>()) };
        return new JsonObject
        {
            ["type"] = type == typeof(string) ? "string" : type == typeof(bool) ? "boolean" : type == typeof(int) ? "integer" : "number",
        };
    }
}
