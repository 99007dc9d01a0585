namespace Tuneforge.Targets;

/// <summary>Marks a field or property of the build as a parameter: <c>--kebab-name value</c>, an environment
/// variable, or a value in .nuke/parameters.json.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string? description = null) : Attribute
{
    public string? Description { get; } = description;

    /// <summary>Overrides the member name (which is otherwise turned into --kebab-case).</summary>
    public string? Name { get; init; }

    /// <summary>Splits one value into an array (e.g. '+' for --skip A+B).</summary>
    public char Separator { get; init; }

    /// <summary>Repeated occurrences add up instead of the last one winning (<c>--set a=1 --set b=2</c>).</summary>
    public bool Accumulates { get; init; }
}
