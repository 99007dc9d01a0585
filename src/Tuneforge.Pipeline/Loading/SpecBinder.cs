using System.Globalization;
using Tuneforge.Pipeline.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tuneforge.Pipeline.Loading;

/// <summary>Binds a YAML node tree onto the spec records, collecting every error with its location and path.</summary>
internal sealed class SpecBinder(Func<YamlNode, SpecLocation> locate)
{
    public List<SpecError> Errors { get; } = [];

    public object Bind(YamlNode node, Type type, string path)
    {
        var target = Activator.CreateInstance(type)!;
        BindInto(target, node, path);
        return target;
    }

    void BindInto(object target, YamlNode node, string path)
    {
        if (node is not YamlMappingNode mapping)
        {
            Fail(node, path, $"expected a mapping of keys ({Describe(node)} found).");
            return;
        }
        var properties = SpecModel.PropertiesOf(target.GetType());
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var childPath = Join(path, key);
            var property = properties.FirstOrDefault(p => p.Name == key);
            if (property is null)
            {
                var where = path.Length == 0 ? "the pipeline" : $"'{path}'";
                Fail(keyNode, childPath, $"unknown key '{key}' in {where}.{DidYouMean.Hint(key, properties.Select(p => p.Name))}");
                continue;
            }
            var value = ConvertValue(valueNode, property.Type, childPath, property.IsNullable);
            if (value is Invalid) continue;
            property.Property.SetValue(target, value);
        }
    }

    object? ConvertValue(YamlNode node, Type type, string path, bool nullable)
    {
        if (IsNull(node))
        {
            if (nullable) return null;
            return Fail(node, path, "must have a value (null given).");
        }
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (SpecModel.IsSection(underlying))
        {
            var section = Activator.CreateInstance(underlying)!;
            var before = Errors.Count;
            BindInto(section, node, path);
            return Errors.Count > before ? Invalid.Value : section;
        }
        if (SpecModel.ElementTypeOf(underlying) is { } elementType) return ConvertList(node, underlying, elementType, path);
        if (SpecModel.DictionaryValueTypeOf(underlying) is { } valueType) return ConvertDictionary(node, underlying, valueType, path);
        if (node is not YamlScalarNode scalar) return Fail(node, path, $"expected a single value ({Describe(node)} found).");
        return ConvertScalar(scalar, underlying, path);
    }

    object ConvertList(YamlNode node, Type listType, Type elementType, string path)
    {
        var list = (System.Collections.IList)Activator.CreateInstance(listType)!;
        // A single value where a list is expected is a one-element list (target_modules: all-linear).
        var items = node is YamlSequenceNode sequence ? sequence.Children.ToList() : [node];
        var before = Errors.Count;
        for (var i = 0; i < items.Count; i++)
        {
            var value = ConvertValue(items[i], elementType, $"{path}[{i}]", nullable: false);
            if (value is not Invalid) list.Add(value);
        }
        return Errors.Count > before ? Invalid.Value : list;
    }

    object ConvertDictionary(YamlNode node, Type dictionaryType, Type valueType, string path)
    {
        if (node is not YamlMappingNode mapping) return Fail(node, path, $"expected a mapping of keys ({Describe(node)} found).");
        var dictionary = (System.Collections.IDictionary)Activator.CreateInstance(dictionaryType)!;
        var before = Errors.Count;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var value = ConvertValue(valueNode, valueType, Join(path, key), nullable: false);
            if (value is not Invalid) dictionary[key] = value;
        }
        return Errors.Count > before ? Invalid.Value : dictionary;
    }

    object ConvertScalar(YamlScalarNode scalar, Type type, string path)
    {
        var text = scalar.Value ?? "";
        var quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted;
        if (type == typeof(string)) return text;
        if (type == typeof(bool))
        {
            if (!quoted && text is "true" or "True" or "TRUE") return true;
            if (!quoted && text is "false" or "False" or "FALSE") return false;
            return Fail(scalar, path, $"'{text}' is not a boolean; write true or false.");
        }
        if (type == typeof(int))
        {
            if (!quoted && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)) return i;
            return Fail(scalar, path, $"'{text}' is not a whole number.");
        }
        if (type == typeof(double))
        {
            if (!quoted && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return d;
            return Fail(scalar, path, $"'{text}' is not a number (write for example 2e-4 or 0.0002).");
        }
        if (type.IsEnum)
        {
            var names = SpecModel.EnumNames(type);
            var index = names.ToList().IndexOf(text);
            if (index >= 0) return Enum.GetValues(type).GetValue(index)!;
            return Fail(scalar, path, $"'{text}' is not one of: {string.Join(", ", names)}.{DidYouMean.Hint(text, names)}");
        }
        throw new NotSupportedException($"Spec property type {type} at {path} has no YAML conversion.");
    }

    static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "something else",
    };

    internal static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    object Fail(YamlNode node, string path, string message)
    {
        Errors.Add(new SpecError(locate(node), path, message));
        return Invalid.Value;
    }

    sealed class Invalid
    {
        public static readonly Invalid Value = new();
    }
}
