using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tuneforge.Pipeline.Model;

/// <summary>Reflection over the spec records: the single source of key names, types and rules
/// for the YAML binder, the JSON schema and the canonical JSON of cache keys.</summary>
public static class SpecModel
{
    static readonly ConcurrentDictionary<Type, IReadOnlyList<SpecProperty>> Cache = new();
    static readonly NullabilityInfoContext Nullability = new();

    public static JsonNamingPolicy Naming => JsonNamingPolicy.SnakeCaseLower;

    public static bool IsSection(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace == "Tuneforge.Pipeline.Spec";

    public static IReadOnlyList<SpecProperty> PropertiesOf(Type type) => Cache.GetOrAdd(type, static t =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .Select(p => new SpecProperty(KeyOf(p), p, IsNullable(p)))
            .ToList());

    public static string KeyOf(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? Naming.ConvertName(property.Name);

    public static string EnumName(object value) => Naming.ConvertName(value.ToString()!);

    public static IReadOnlyList<string> EnumNames(Type enumType) =>
        Enum.GetNames(enumType).Select(n => Naming.ConvertName(n)).ToList();

    public static Type? ElementTypeOf(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;

    public static Type? DictionaryValueTypeOf(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) ? type.GetGenericArguments()[1] : null;

    static bool IsNullable(PropertyInfo p)
    {
        if (Nullable.GetUnderlyingType(p.PropertyType) is not null) return true;
        if (p.PropertyType.IsValueType) return false;
        lock (Nullability) return Nullability.Create(p).WriteState == NullabilityState.Nullable;
    }
}
