using System.Globalization;
using System.Text;

namespace Tuneforge.Text.Jinja;

/// <summary>Python's meaning of the values' operations: truth, equality, ordering, str/repr, membership, iteration.</summary>
internal static partial class PyOps
{
    public static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        ListValue { IsTuple: true } => "tuple",
        ListValue => "list",
        DictValue => "dict",
        NamespaceValue => "Namespace",
        Undefined => "Undefined",
        LoopContext => "LoopContext",
        MacroValue => "Macro",
        Callable => "function",
        _ => value.GetType().Name,
    };

    public static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        ListValue list => list.Count > 0,
        DictValue dict => dict.Count > 0,
        Undefined => false,
        _ => true,
    };

    public static bool IsNumber(object? value) => value is long or double or bool;

    public static double ToDouble(object? value) => value switch
    {
        bool b => b ? 1 : 0,
        long l => l,
        double d => d,
        _ => throw JinjaRuntimeException.Type($"must be real number, not {TypeName(value)}"),
    };

    public static bool Equal(object? a, object? b)
    {
        if (IsNumber(a) && IsNumber(b))
        {
            return a is double || b is double ? ToDouble(a) == ToDouble(b) : ToLong(a) == ToLong(b);
        }

        return (a, b) switch
        {
            (null, null) => true,
            (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
            (ListValue x, ListValue y) => x.IsTuple == y.IsTuple && x.Count == y.Count && x.Zip(y).All(p => Equal(p.First, p.Second)),
            (DictValue x, DictValue y) => x.Count == y.Count && x.Items.All(i => y.TryGet(i.Key, out object? v) && Equal(i.Value, v)),
            (Undefined, Undefined) => true,
            _ => ReferenceEquals(a, b),
        };
    }

    /// <summary>Python's ordering (for &lt;, sort, min, max): numbers, strings by code point, lists and tuples item by item.</summary>
    public static int Compare(object? a, object? b, string op = "<")
    {
        if (IsNumber(a) && IsNumber(b))
        {
            return a is double || b is double ? ToDouble(a).CompareTo(ToDouble(b)) : ToLong(a).CompareTo(ToLong(b));
        }

        switch (a, b)
        {
            case (string x, string y):
                return CompareCodePoints(x, y);
            case (ListValue x, ListValue y) when x.IsTuple == y.IsTuple:
                for (int i = 0; i < Math.Min(x.Count, y.Count); i++)
                {
                    if (!Equal(x[i], y[i]))
                    {
                        return Compare(x[i], y[i], op);
                    }
                }

                return x.Count.CompareTo(y.Count);
            case (Undefined u, _):
                throw u.Error();
            case (_, Undefined u):
                throw u.Error();
            default:
                throw JinjaRuntimeException.Type($"'{op}' not supported between instances of '{TypeName(a)}' and '{TypeName(b)}'");
        }
    }

    public static int CompareCodePoints(string x, string y)
    {
        int i = 0;
        while (i < x.Length && i < y.Length)
        {
            int cx = CodePointAt(x, i);
            int cy = CodePointAt(y, i);
            if (cx != cy)
            {
                return cx.CompareTo(cy);
            }

            i += cx > 0xFFFF ? 2 : 1;
        }

        return (x.Length - i).CompareTo(y.Length - i);
    }

    private static int CodePointAt(string s, int i) =>
        char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? char.ConvertToUtf32(s[i], s[i + 1]) : s[i];

    public static long ToLong(object? value) => value switch
    {
        bool b => b ? 1 : 0,
        long l => l,
        _ => throw JinjaRuntimeException.Type($"'{TypeName(value)}' object cannot be interpreted as an integer"),
    };

    /// <summary>str(value) as Jinja prints it: None as "None", booleans as "True"/"False", containers as their repr.</summary>
    public static string Str(object? value) => value switch
    {
        string s => s,
        Undefined => "",
        _ => Repr(value),
    };

    public static string Repr(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => PyFloat.Repr(d),
        string s => ReprString(s),
        ListValue { IsTuple: true, Count: 1 } t => $"({Repr(t[0])},)",
        ListValue { IsTuple: true } t => $"({string.Join(", ", t.Select(Repr))})",
        ListValue list => $"[{string.Join(", ", list.Select(Repr))}]",
        DictValue dict => $"{{{string.Join(", ", dict.Items.Select(i => $"{Repr(i.Key)}: {Repr(i.Value)}"))}}}",
        NamespaceValue ns => $"<Namespace {Repr(ns.Attributes)}>",
        Undefined => "Undefined",
        LoopContext loop => $"<LoopContext {loop.Index0 + 1}>",
        MacroValue macro => $"<Macro '{macro.Name}'>",
        Callable function => $"<built-in function {function.Name}>",
        _ => value.ToString() ?? "",
    };

    /// <summary>repr(str): single quotes unless the text has a single quote and no double one; unprintables escaped.</summary>
    public static string ReprString(string s)
    {
        char quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var text = new StringBuilder(s.Length + 2).Append(quote);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            int point = c;
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                point = char.ConvertToUtf32(c, s[i + 1]);
            }

            switch (c)
            {
                case '\\': text.Append(@"\\"); continue;
                case '\n': text.Append(@"\n"); continue;
                case '\r': text.Append(@"\r"); continue;
                case '\t': text.Append(@"\t"); continue;
            }

            if (c == quote)
            {
                text.Append('\\').Append(c);
            }
            else if (IsPrintable(point, s, i))
            {
                text.Append(point > 0xFFFF ? char.ConvertFromUtf32(point) : c.ToString());
            }
            else
            {
                text.Append(point switch
                {
                    < 0x100 => $"\\x{point:x2}",
                    < 0x10000 => $"\\u{point:x4}",
                    _ => $"\\U{point:x8}",
                });
            }

            if (point > 0xFFFF)
            {
                i++;
            }
        }

        return text.Append(quote).ToString();
    }

    // str.isprintable: not a control, format, surrogate, private-use, unassigned or separator character (space excepted).
    private static bool IsPrintable(int point, string s, int i)
    {
        if (point == ' ')
        {
            return true;
        }

        UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(s, i);
        return category is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.SpaceSeparator
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);
    }

    /// <summary>The items a for loop or a filter sees: list items, dict keys, string code points; Undefined is empty.</summary>
    public static IReadOnlyList<object?> Iterate(object? value) => value switch
    {
        ListValue list => list,
        DictValue dict => dict.Keys,
        string s => PyText.CodePoints(s),
        Undefined { IsUnsafe: true } u => throw u.Error(),
        Undefined => [],
        NamespaceValue ns => ns.Attributes.Keys,
        _ => throw JinjaRuntimeException.Type($"'{TypeName(value)}' object is not iterable"),
    };

    public static long Length(object? value) => value switch
    {
        string s => PyText.Length(s),
        ListValue list => list.Count,
        DictValue dict => dict.Count,
        Undefined => 0,
        _ => throw JinjaRuntimeException.Type($"object of type '{TypeName(value)}' has no len()"),
    };

    /// <summary><c>item in container</c>.</summary>
    public static bool Contains(object? container, object? item) => container switch
    {
        string s when item is string sub => s.Contains(sub, StringComparison.Ordinal),
        string => throw JinjaRuntimeException.Type($"'in <string>' requires string as left operand, not {TypeName(item)}"),
        ListValue list => list.Any(x => Equal(x, item)),
        DictValue dict => dict.ContainsKey(item),
        NamespaceValue ns => item is string name && ns.TryGet(name, out _),
        Undefined { IsUnsafe: true } u => throw u.Error(),
        Undefined => false,
        _ => throw JinjaRuntimeException.Type($"argument of type '{TypeName(container)}' is not iterable"),
    };
}
