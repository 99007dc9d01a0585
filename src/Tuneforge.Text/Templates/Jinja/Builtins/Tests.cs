namespace Tuneforge.Text.Jinja;

/// <summary>Jinja2's tests (<c>x is defined</c>, <c>x is string</c>, <c>n is divisibleby 3</c>); any other name fails at load.</summary>
internal static class Tests
{
    private static readonly Dictionary<string, Func<object?, Arguments, bool>> ByName = new(StringComparer.Ordinal)
    {
        ["boolean"] = (v, a) => NoArgs(a, "boolean") && v is bool,
        ["callable"] = (v, a) => NoArgs(a, "callable") && v is Callable,
        ["defined"] = (v, a) => NoArgs(a, "defined") && v is not Undefined,
        ["undefined"] = (v, a) => NoArgs(a, "undefined") && v is Undefined,
        ["none"] = (v, a) => NoArgs(a, "none") && v is null,
        ["true"] = (v, a) => NoArgs(a, "true") && v is true,
        ["false"] = (v, a) => NoArgs(a, "false") && v is false,
        ["integer"] = (v, a) => NoArgs(a, "integer") && v is long,
        ["float"] = (v, a) => NoArgs(a, "float") && v is double,
        ["number"] = (v, a) => NoArgs(a, "number") && PyOps.IsNumber(v),
        ["string"] = (v, a) => NoArgs(a, "string") && v is string,
        ["mapping"] = (v, a) => NoArgs(a, "mapping") && v is DictValue,
        ["iterable"] = (v, a) => NoArgs(a, "iterable") && v is string or ListValue or DictValue or Undefined or NamespaceValue,
        ["sequence"] = (v, a) => NoArgs(a, "sequence") && v is string or ListValue or DictValue or Undefined,
        ["escaped"] = (_, a) => NoArgs(a, "escaped") && false,
        ["lower"] = (v, a) => NoArgs(a, "lower") && PyText.Lower(PyOps.Str(v)) == PyOps.Str(v),
        ["upper"] = (v, a) => NoArgs(a, "upper") && PyText.Upper(PyOps.Str(v)) == PyOps.Str(v),
        ["odd"] = (v, a) => NoArgs(a, "odd") && PyOps.Equal(PyOps.Binary("%", v, 2L), 1L),
        ["even"] = (v, a) => NoArgs(a, "even") && PyOps.Equal(PyOps.Binary("%", v, 2L), 0L),
        ["divisibleby"] = (v, a) => PyOps.Equal(PyOps.Binary("%", v, One(a, "divisibleby", "num")), 0L),
        ["sameas"] = (v, a) => SameAs(v, One(a, "sameas", "other")),
        ["in"] = (v, a) => PyOps.Contains(One(a, "in", "seq"), v),
        ["filter"] = (v, a) => NoArgs(a, "filter") && v is string name && Filters.Exists(name),
        ["test"] = (v, a) => NoArgs(a, "test") && v is string name && Exists(name),
    };

    static Tests()
    {
        foreach ((string op, string[] names) in new[]
        {
            ("==", new[] { "eq", "equalto", "==" }), ("!=", ["ne", "!="]), ("<", ["lt", "lessthan", "<"]),
            ("<=", ["le", "<="]), (">", ["gt", "greaterthan", ">"]), (">=", ["ge", ">="]),
        })
        {
            foreach (string name in names)
            {
                ByName[name] = (v, a) => Holds(op, v, One(a, name, "other"));
            }
        }
    }

    public static bool Exists(string name) => ByName.ContainsKey(name);

    public static bool Apply(string name, object? value, Arguments args) =>
        ByName.TryGetValue(name, out var test) ? test(value, args) : throw new JinjaRuntimeException($"no test named '{name}'");

    private static bool NoArgs(Arguments args, string test)
    {
        args.Bind($"test '{test}'");
        return true;
    }

    private static object? One(Arguments args, string test, string parameter)
    {
        object? value = args.Bind($"test '{test}'", parameter)[0];
        return value == Arguments.Missing ? throw JinjaRuntimeException.Type($"test '{test}' needs an argument") : value;
    }

    private static bool SameAs(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (bool x, bool y) => x == y,
        (long x, long y) => x == y && x is >= -5 and <= 256,
        _ => ReferenceEquals(a, b),
    };

    private static bool Holds(string op, object? a, object? b) => op switch
    {
        "==" => PyOps.Equal(a, b),
        "!=" => !PyOps.Equal(a, b),
        "<" => PyOps.Compare(a, b, op) < 0,
        "<=" => PyOps.Compare(a, b, op) <= 0,
        ">" => PyOps.Compare(a, b, op) > 0,
        _ => PyOps.Compare(a, b, op) >= 0,
    };
}
