namespace Tuneforge.Text.Jinja;

/// <summary>Something a template can call: a global function, a bound method, a macro or a call block's caller.</summary>
internal abstract class Callable(string name)
{
    public string Name { get; } = name;

    public abstract object? Call(Evaluator evaluator, Arguments arguments);
}

internal sealed class BuiltinFunction(string name, Func<Arguments, object?> body) : Callable(name)
{
    public override object? Call(Evaluator evaluator, Arguments arguments) => body(arguments);
}

/// <summary>A macro (or the body of a call block): renders its body in a scope of its parameters under the scope it was defined in.</summary>
internal sealed class MacroValue : Callable
{
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly IReadOnlyList<Node> _body;
    private readonly Scope _definedIn;
    private readonly bool _takesVarargs;
    private readonly bool _takesKwargs;
    private readonly bool _takesCaller;

    public MacroValue(string name, IReadOnlyList<Parameter> parameters, IReadOnlyList<Node> body, Scope definedIn)
        : base(name)
    {
        _parameters = parameters;
        _body = body;
        _definedIn = definedIn;
        HashSet<string> names = NameUse.Find(body, ["varargs", "kwargs", "caller"]);
        _takesVarargs = names.Contains("varargs");
        _takesKwargs = names.Contains("kwargs");
        _takesCaller = names.Contains("caller");
    }

    public override object? Call(Evaluator evaluator, Arguments arguments)
    {
        var scope = new Scope(_definedIn);
        string display = Name.Length == 0 ? "the call block" : $"macro '{Name}'";
        if (arguments.Positional.Count > _parameters.Count && !_takesVarargs)
        {
            throw JinjaRuntimeException.Type($"{display} takes not more than {_parameters.Count} argument(s)");
        }

        var keyword = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach ((string key, object? value) in arguments.Keyword)
        {
            keyword[key] = value;
        }

        if (keyword.Remove("caller", out object? caller) || _takesCaller)
        {
            scope.Set("caller", caller ?? Undefined.Named("caller"));
        }

        var pendingDefaults = new List<Parameter>();
        for (int i = 0; i < _parameters.Count; i++)
        {
            Parameter parameter = _parameters[i];
            if (i < arguments.Positional.Count)
            {
                scope.Set(parameter.Name, arguments.Positional[i]);
                if (keyword.ContainsKey(parameter.Name))
                {
                    throw JinjaRuntimeException.Type($"{display} got multiple values for argument '{parameter.Name}'");
                }
            }
            else if (keyword.Remove(parameter.Name, out object? value))
            {
                scope.Set(parameter.Name, value);
            }
            else if (parameter.Default is not null)
            {
                pendingDefaults.Add(parameter);
            }
            else
            {
                scope.Set(parameter.Name, Undefined.Because($"parameter '{parameter.Name}' was not provided"));
            }
        }

        foreach (Parameter parameter in pendingDefaults)
        {
            scope.Set(parameter.Name, evaluator.Evaluate(parameter.Default!, scope));
        }

        if (keyword.Count > 0 && !_takesKwargs)
        {
            throw JinjaRuntimeException.Type($"{display} takes no keyword argument '{keyword.Keys.First()}'");
        }

        if (_takesVarargs)
        {
            scope.Set("varargs", new ListValue(arguments.Positional.Skip(_parameters.Count).ToArray(), isTuple: true));
        }

        if (_takesKwargs)
        {
            var kwargs = new DictValue();
            foreach ((string key, object? value) in keyword)
            {
                kwargs.Set(key, value);
            }

            scope.Set("kwargs", kwargs);
        }

        return evaluator.Capture(_body, scope);
    }
}

/// <summary>The <c>loop</c> variable of a for loop.</summary>
internal sealed class LoopContext(IReadOnlyList<object?> items)
{
    public int Index0 { get; set; }

    public object? Get(string name) => name switch
    {
        "index" => (long)Index0 + 1,
        "index0" => (long)Index0,
        "revindex" => (long)(items.Count - Index0),
        "revindex0" => (long)(items.Count - Index0 - 1),
        "first" => Index0 == 0,
        "last" => Index0 == items.Count - 1,
        "length" => (long)items.Count,
        "depth" => 1L,
        "depth0" => 0L,
        "previtem" => Index0 > 0 ? items[Index0 - 1] : Undefined.Because("there is no previous item"),
        "nextitem" => Index0 < items.Count - 1 ? items[Index0 + 1] : Undefined.Because("there is no next item"),
        "cycle" => new BuiltinFunction("loop.cycle", Cycle),
        _ => Undefined.Because($"'LoopContext' object has no attribute '{name}'"),
    };

    private object? Cycle(Arguments arguments)
    {
        if (arguments.Positional.Count == 0)
        {
            throw JinjaRuntimeException.Type("no items for cycling given");
        }

        return arguments.Positional[Index0 % arguments.Positional.Count];
    }
}
