using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace Tuneforge.Pipeline.Model;

/// <summary>One key of a spec section: its YAML/JSON name, type and the rules it must satisfy.</summary>
public sealed record SpecProperty(string Name, PropertyInfo Property, bool IsNullable)
{
    public Type Type => Property.PropertyType;

    public string? Description => Property.GetCustomAttribute<DescriptionAttribute>()?.Description;

    public RangeAttribute? Range => Property.GetCustomAttribute<RangeAttribute>();

    public RegularExpressionAttribute? Pattern => Property.GetCustomAttribute<RegularExpressionAttribute>();

    public MinLengthAttribute? MinLength => Property.GetCustomAttribute<MinLengthAttribute>();

    public AllowedValuesAttribute? AllowedValues => Property.GetCustomAttribute<AllowedValuesAttribute>();

    public bool IsRequired => Property.GetCustomAttribute<RequiredAttribute>() is not null;
}
