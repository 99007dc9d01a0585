namespace Tuneforge.Text.Jinja;

/// <summary>The evaluated arguments of a call, filter or test, bound to parameter names as Python binds them.</summary>
internal sealed class Arguments(IReadOnlyList<object?> positional, IReadOnlyList<KeyValuePair<string, object?>> keyword)
{
    public static readonly Arguments None = new([], []);

    /// <summary>Marks a parameter that was not passed.</summary>
    public static readonly object Missing = new();

    public IReadOnlyList<object?> Positional { get; } = positional;

    public IReadOnlyList<KeyValuePair<string, object?>> Keyword { get; } = keyword;

    /// <summary>Values for the parameters in order (<see cref="Missing"/> where not given); extra or unknown arguments are errors.</summary>
    public object?[] Bind(string callee, params string[] parameters)
    {
        if (Positional.Count > parameters.Length)
        {
            throw JinjaRuntimeException.Type($"{callee} takes at most {parameters.Length} argument(s) ({Positional.Count} given)");
        }

        var values = new object?[parameters.Length];
        Array.Fill(values, Missing);
        for (int i = 0; i < Positional.Count; i++)
        {
            values[i] = Positional[i];
        }

        foreach ((string name, object? value) in Keyword)
        {
            int at = Array.IndexOf(parameters, name);
            if (at < 0)
            {
                throw JinjaRuntimeException.Type($"{callee} got an unexpected keyword argument '{name}'");
            }

            if (values[at] != Missing)
            {
                throw JinjaRuntimeException.Type($"{callee} got multiple values for argument '{name}'");
            }

            values[at] = value;
        }

        return values;
    }

    public static T Or<T>(object? value, T fallback) => value == Missing ? fallback : (T)value!;
}
