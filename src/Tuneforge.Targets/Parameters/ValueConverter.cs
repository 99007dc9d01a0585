using System.Globalization;

namespace Tuneforge.Targets;

/// <summary>Converts parameter text to the member's type; a value that does not fit names the parameter, value and type.</summary>
public static class ValueConverter
{
    public static object? Convert(string parameter, IReadOnlyList<string> values, Type type, string rootDirectory)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsArray)
        {
            var element = underlying.GetElementType()!;
            var array = Array.CreateInstance(element, values.Count);
            for (var i = 0; i < values.Count; i++) array.SetValue(ConvertOne(parameter, values[i], element, rootDirectory), i);
            return array;
        }
        if (values.Count == 0)
        {
            if (underlying == typeof(bool)) return true; // a bare switch
            throw new BuildException($"Parameter '{parameter}' needs a value of type {TypeName(underlying)}.");
        }
        if (values.Count > 1)
            throw new BuildException($"Parameter '{parameter}' takes one value but got {values.Count}: {string.Join(" ", values)}.");
        return ConvertOne(parameter, values[0], underlying, rootDirectory);
    }

    static object ConvertOne(string parameter, string value, Type type, string rootDirectory)
    {
        object? result = type switch
        {
            _ when type == typeof(string) => value,
            _ when type == typeof(bool) => bool.TryParse(value, out var b) ? b : null,
            _ when type == typeof(int) => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null,
            _ when type == typeof(long) => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : null,
            _ when type == typeof(double) => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
            _ when type == typeof(AbsolutePath) => new AbsolutePath(Path.GetFullPath(value, rootDirectory)),
            _ when type.IsEnum => ParseEnum(value, type),
            _ => throw new NotSupportedException($"Parameter '{parameter}' has type {type.Name}, which has no conversion."),
        };
        return result ?? throw new BuildException($"Parameter '{parameter}': value '{value}' is not a valid {TypeName(type)}.");
    }

    static object? ParseEnum(string value, Type type)
    {
        var normalized = value.Replace("-", "").Replace("_", "");
        return Enum.GetNames(type).FirstOrDefault(n => n.Equals(normalized, StringComparison.OrdinalIgnoreCase)) is { } name
            ? Enum.Parse(type, name)
            : null;
    }

    public static string TypeName(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray) return $"list of {TypeName(type.GetElementType()!)}";
        if (type.IsEnum) return $"one of {string.Join(", ", Enum.GetNames(type))}";
        return type == typeof(string) ? "text" : type == typeof(bool) ? "boolean (true or false)"
            : type == typeof(int) || type == typeof(long) ? "whole number" : type == typeof(double) ? "number"
            : type == typeof(AbsolutePath) ? "path" : type.Name;
    }
}
