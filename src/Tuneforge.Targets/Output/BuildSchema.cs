using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tuneforge.Targets;

/// <summary>.nuke/build.schema.json, regenerated on every run: the parameters and targets, for editors of parameters.json.</summary>
public static class BuildSchema
{
    public static string Generate(IReadOnlyList<ExecutableTarget> targets, IReadOnlyList<ParameterMember> parameters)
    {
        var targetNames = new JsonArray(targets.Where(t => t.Listed).Select(t => JsonValue.Create(t.Name)).OrderBy(n => n!.GetValue<string>(), StringComparer.Ordinal).ToArray<JsonNode?>());
        var properties = new JsonObject { ["$schema"] = new JsonObject { ["type"] = "string" } };
        foreach (var parameter in parameters)
        {
            var schema = TypeSchema(parameter.Type);
            if (parameter.MemberName is "Target" or "Skip" or "Force")
                schema = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string", ["enum"] = targetNames.DeepClone() } };
            if (parameter.Description is { } description) schema["description"] = description;
            properties[parameter.MemberName] = schema;
        }
        var root = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-04/schema#",
            ["title"] = "Build Schema",
            ["$ref"] = "#/definitions/build",
            ["definitions"] = new JsonObject { ["build"] = new JsonObject { ["type"] = "object", ["properties"] = properties } },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    static JsonObject TypeSchema(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray) return new JsonObject { ["type"] = "array", ["items"] = TypeSchema(type.GetElementType()!) };
        if (type.IsEnum) return new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(Enum.GetNames(type).Select(n => JsonValue.Create(n)).ToArray<JsonNode?>()) };
        var name = type == typeof(bool) ? "boolean" : type == typeof(int) || type == typeof(long) ? "integer" : type == typeof(double) ? "number" : "string";
        return new JsonObject { ["type"] = name };
    }
}
