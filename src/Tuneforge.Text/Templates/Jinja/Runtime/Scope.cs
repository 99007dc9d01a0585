namespace Tuneforge.Text.Jinja;

/// <summary>Variables of a frame: the render arguments, the template's top level, a loop iteration or a macro call.</summary>
internal sealed class Scope(Scope? parent)
{
    private readonly Dictionary<string, object?> _variables = new(StringComparer.Ordinal);
    private readonly Scope? _parent = parent;

    public object? Lookup(string name)
    {
        for (Scope? scope = this; scope is not null; scope = scope._parent)
        {
            if (scope._variables.TryGetValue(name, out object? value))
            {
                return value;
            }
        }

        return Undefined.Named(name);
    }

    public void Set(string name, object? value) => _variables[name] = value;
}
