using System.Globalization;
using System.Text;

namespace Tuneforge.Text.Jinja;

/// <summary>Jinja2's built-in filters that chat templates use, with transformers' tojson; any other name fails at load.</summary>
internal static partial class Filters
{
    private delegate object? Filter(Evaluator evaluator, object? value, Arguments args);

    private static readonly Dictionary<string, Filter> ByName = new(StringComparer.Ordinal)
    {
        ["abs"] = (_, v, a) => Abs(v, a),
        ["attr"] = (_, v, a) => Attributes.AttributeOnly(v, Require<string>(a.Bind("attr", "name")[0], "attr", "name")),
        ["capitalize"] = (_, v, a) => NoArgs(a, "capitalize", () => PyText.Capitalize(PyOps.Str(v))),
        ["count"] = (_, v, a) => NoArgs(a, "count", () => PyOps.Length(v)),
        ["d"] = (_, v, a) => Default(v, a),
        ["default"] = (_, v, a) => Default(v, a),
        ["dictsort"] = (_, v, a) => DictSort(v, a),
        ["e"] = (_, v, a) => NoArgs(a, "escape", () => Escape(PyOps.Str(v))),
        ["escape"] = (_, v, a) => NoArgs(a, "escape", () => Escape(PyOps.Str(v))),
        ["first"] = (_, v, a) => NoArgs(a, "first", () => First(v)),
        ["float"] = (_, v, a) => ToFloat(v, a),
        ["indent"] = (_, v, a) => Indent(PyOps.Str(v), a),
        ["int"] = (_, v, a) => ToInt(v, a),
        ["items"] = (_, v, a) => NoArgs(a, "items", () => Items(v)),
        ["join"] = (_, v, a) => Join(v, a),
        ["last"] = (_, v, a) => NoArgs(a, "last", () => Last(v)),
        ["length"] = (_, v, a) => NoArgs(a, "length", () => PyOps.Length(v)),
        ["list"] = (_, v, a) => NoArgs(a, "list", () => new ListValue(PyOps.Iterate(v).ToArray())),
        ["lower"] = (_, v, a) => NoArgs(a, "lower", () => PyText.Lower(PyOps.Str(v))),
        ["map"] = Map,
        ["max"] = (_, v, a) => MinMax(v, a, "max"),
        ["min"] = (_, v, a) => MinMax(v, a, "min"),
        ["reject"] = (e, v, a) => Select(e, v, a, "reject", attribute: false, keep: false),
        ["rejectattr"] = (e, v, a) => Select(e, v, a, "rejectattr", attribute: true, keep: false),
        ["replace"] = (_, v, a) => Replace(v, a),
        ["reverse"] = (_, v, a) => NoArgs(a, "reverse", () => Reverse(v)),
        ["round"] = (_, v, a) => Round(v, a),
        ["safe"] = (_, v, a) => NoArgs(a, "safe", () => v is string ? v : PyOps.Str(v)),
        ["select"] = (e, v, a) => Select(e, v, a, "select", attribute: false, keep: true),
        ["selectattr"] = (e, v, a) => Select(e, v, a, "selectattr", attribute: true, keep: true),
        ["sort"] = (_, v, a) => Sort(v, a),
        ["string"] = (_, v, a) => NoArgs(a, "string", () => PyOps.Str(v)),
        ["sum"] = (_, v, a) => Sum(v, a),
        ["title"] = (_, v, a) => NoArgs(a, "title", () => Title(PyOps.Str(v))),
        ["tojson"] = (_, v, a) => ToJson(v, a),
        ["trim"] = (_, v, a) => PyText.Strip(PyOps.Str(v), Optional<string>(a.Bind("trim", "chars")[0], "trim", "chars")),
        ["unique"] = (_, v, a) => Unique(v, a),
        ["upper"] = (_, v, a) => NoArgs(a, "upper", () => PyText.Upper(PyOps.Str(v))),
        ["wordcount"] = (_, v, a) => NoArgs(a, "wordcount", () => (long)System.Text.RegularExpressions.Regex.Count(PyOps.Str(v), @"\w+")),
    };

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static bool Exists(string name) => ByName.ContainsKey(name);

    public static object? Apply(Evaluator evaluator, string name, object? value, Arguments args) =>
        ByName.TryGetValue(name, out Filter? filter) ? filter(evaluator, value, args) : throw new JinjaRuntimeException($"no filter named '{name}'");

    private static object? NoArgs(Arguments args, string filter, Func<object?> body)
    {
        args.Bind(filter);
        return body();
    }

    private static T Require<T>(object? value, string filter, string parameter) => value is T typed
        ? typed
        : throw JinjaRuntimeException.Type($"{filter}: '{parameter}' must be {typeof(T).Name.ToLowerInvariant()}, not {PyOps.TypeName(value == Arguments.Missing ? null : value)}");

    private static T? Optional<T>(object? value, string filter, string parameter) where T : class =>
        value == Arguments.Missing || value is null ? null : Require<T>(value, filter, parameter);

    private static bool Flag(object? value) => value != Arguments.Missing && PyOps.Truthy(value);

    private static object? Abs(object? value, Arguments args)
    {
        args.Bind("abs");
        return value switch
        {
            long l => (object)Math.Abs(l),
            bool b => b ? 1L : 0L,
            double d => Math.Abs(d),
            _ => throw JinjaRuntimeException.Type($"bad operand type for abs(): '{PyOps.TypeName(value)}'"),
        };
    }

    private static object? Default(object? value, Arguments args)
    {
        object?[] a = args.Bind("default", "default_value", "boolean");
        object? fallback = Arguments.Or<object?>(a[0], "");
        return value is Undefined || (Flag(a[1]) && !PyOps.Truthy(value)) ? fallback : value;
    }

    private static string Escape(string s) => s
        .Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&#34;", StringComparison.Ordinal)
        .Replace("'", "&#39;", StringComparison.Ordinal);

    private static object? First(object? value)
    {
        IReadOnlyList<object?> items = PyOps.Iterate(value);
        return items.Count > 0 ? items[0] : Undefined.Because("No first item, sequence was empty.");
    }

    private static object? Last(object? value)
    {
        IReadOnlyList<object?> items = PyOps.Iterate(value);
        return items.Count > 0 ? items[^1] : Undefined.Because("No last item, sequence was empty.");
    }

    private static object? Items(object? value) => value switch
    {
        Undefined => ListValue.Empty,
        DictValue dict => new ListValue(dict.Items.Select(i => (object?)new ListValue([i.Key, i.Value], isTuple: true)).ToArray()),
        _ => throw JinjaRuntimeException.Type("Can only get item pairs from a mapping."),
    };

    private static object? Join(object? value, Arguments args)
    {
        object?[] a = args.Bind("join", "d", "attribute");
        string separator = PyOps.Str(Arguments.Or<object?>(a[0], ""));
        IEnumerable<object?> items = PyOps.Iterate(value);
        if (a[1] != Arguments.Missing && a[1] is not null)
        {
            items = items.Select(ItemGetter(a[1]));
        }

        return string.Join(separator, items.Select(PyOps.Str));
    }

    private static object? Replace(object? value, Arguments args)
    {
        object?[] a = args.Bind("replace", "old", "new", "count");
        long count = a[2] == Arguments.Missing || a[2] is null ? -1 : PyOps.ToLong(a[2]);
        return Methods.Replace(PyOps.Str(value), PyOps.Str(a[0] == Arguments.Missing ? null : a[0]), PyOps.Str(a[1] == Arguments.Missing ? null : a[1]), (int)count);
    }

    private static object? Reverse(object? value) => value switch
    {
        string s => PyText.Reverse(s),
        _ => new ListValue(PyOps.Iterate(value).Reverse().ToArray()),
    };

    // Jinja2's title filter (not str.title): each word after a space, dash or bracket is capitalized.
    private static string Title(string s)
    {
        var result = new StringBuilder(s.Length);
        foreach (string part in System.Text.RegularExpressions.Regex.Split(s, @"([-\s({\[<]+)"))
        {
            if (part.Length > 0)
            {
                string first = PyText.CodePoints(part)[0];
                result.Append(PyText.Upper(first)).Append(PyText.Lower(part[first.Length..]));
            }
        }

        return result.ToString();
    }

    private static object? Indent(string s, Arguments args)
    {
        object?[] a = args.Bind("indent", "width", "first", "blank");
        object? width = Arguments.Or<object?>(a[0], 4L);
        string indentation = width as string ?? new string(' ', (int)PyOps.ToLong(width));
        List<string> lines = PyText.SplitLines(s + "\n");
        string text;
        if (Flag(a[2]))
        {
            text = string.Join("\n" + indentation, lines);
        }
        else
        {
            text = lines[0];
            if (lines.Count > 1)
            {
                text += "\n" + string.Join("\n", lines.Skip(1).Select(line => line.Length > 0 ? indentation + line : line));
            }
        }

        return Flag(a[1]) ? indentation + text : text;
    }

    private static object? ToInt(object? value, Arguments args)
    {
        object?[] a = args.Bind("int", "default", "base");
        object? fallback = Arguments.Or<object?>(a[0], 0L);
        int radix = (int)Arguments.Or(a[1], 10L);
        switch (value)
        {
            case long or bool:
                return PyOps.ToLong(value);
            case double d:
                return double.IsFinite(d) ? (long)Math.Truncate(d) : throw new JinjaRuntimeException("OverflowError: cannot convert float infinity to integer");
            case string s:
                string digits = s.Trim().Replace("_", "", StringComparison.Ordinal);
                try
                {
                    return Convert.ToInt64(digits, radix);
                }
                catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
                {
                    return TryParseFloat(s, out double parsed) && double.IsFinite(parsed) ? (long)Math.Truncate(parsed) : fallback;
                }

            default:
                return fallback;
        }
    }

    private static object? ToFloat(object? value, Arguments args)
    {
        object? fallback = Arguments.Or<object?>(args.Bind("float", "default")[0], 0.0);
        return value switch
        {
            long or bool => PyOps.ToDouble(value),
            double d => d,
            string s => TryParseFloat(s, out double parsed) ? parsed : fallback,
            _ => fallback,
        };
    }

    private static bool TryParseFloat(string s, out double value)
    {
        string text = s.Trim().Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
        switch (text.TrimStart('+', '-'))
        {
            case "inf" or "infinity":
                value = text.StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;
                return true;
            case "nan":
                value = double.NaN;
                return true;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static object? Round(object? value, Arguments args)
    {
        object?[] a = args.Bind("round", "precision", "method");
        int precision = (int)Arguments.Or(a[0], 0L);
        string method = Arguments.Or(a[1], "common");
        double x = PyOps.ToDouble(value);
        double scale = Math.Pow(10, precision);
        return method switch
        {
            "common" => value is long or bool ? PyOps.ToLong(value) : (object)Math.Round(x, Math.Clamp(precision, 0, 15), MidpointRounding.ToEven),
            "ceil" => Math.Ceiling(x * scale) / scale,
            "floor" => Math.Floor(x * scale) / scale,
            _ => throw new JinjaRuntimeException("FilterArgumentError: method must be common, ceil or floor"),
        };
    }

    private static object? ToJson(object? value, Arguments args)
    {
        object?[] a = args.Bind("tojson", "ensure_ascii", "indent", "separators", "sort_keys");
        string? indent = a[1] switch
        {
            long l => new string(' ', (int)Math.Max(0, l)),
            string s => s,
            _ => null,
        };
        (string, string)? separators = a[2] is ListValue { Count: 2 } pair && pair[0] is string item && pair[1] is string key ? (item, key) : null;
        return PyJson.Dumps(value, Flag(a[0]), indent, separators, Flag(a[3]));
    }
}
