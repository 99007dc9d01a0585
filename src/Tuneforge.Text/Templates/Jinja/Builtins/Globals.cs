using System.Globalization;

namespace Tuneforge.Text.Jinja;

/// <summary>The functions every template sees: Jinja2's range, namespace and dict, and transformers' raise_exception and strftime_now.</summary>
internal static class Globals
{
    // Jinja2's sandbox refuses ranges longer than this.
    private const int MaxRange = 100_000;

    public static IReadOnlyList<string> Names { get; } = ["range", "namespace", "dict", "raise_exception", "strftime_now"];

    public static Scope Create(Func<DateTime> clock)
    {
        var scope = new Scope(null);
        scope.Set("range", new BuiltinFunction("range", Range));
        scope.Set("namespace", new BuiltinFunction("namespace", Namespace));
        scope.Set("dict", new BuiltinFunction("dict", Dict));
        scope.Set("raise_exception", new BuiltinFunction("raise_exception", args =>
            throw new JinjaRuntimeException(PyOps.Str(args.Bind("raise_exception", "message")[0] is var m && m == Arguments.Missing ? "" : m), raisedByTemplate: true)));
        scope.Set("strftime_now", new BuiltinFunction("strftime_now", args =>
            Strftime(clock(), PyOps.Str(args.Bind("strftime_now", "format")[0]))));
        return scope;
    }

    private static object? Range(Arguments args)
    {
        if (args.Keyword.Count > 0 || args.Positional.Count is 0 or > 3)
        {
            throw JinjaRuntimeException.Type($"range expected 1 to 3 integer arguments, got {args.Positional.Count}");
        }

        long[] n = args.Positional.Select(PyOps.ToLong).ToArray();
        (long start, long stop, long step) = n.Length switch
        {
            1 => (0, n[0], 1),
            2 => (n[0], n[1], 1),
            _ => (n[0], n[1], n[2]),
        };
        if (step == 0)
        {
            throw new JinjaRuntimeException("ValueError: range() arg 3 must not be zero");
        }

        long count = step > 0 ? Math.Max(0, (stop - start + step - 1) / step) : Math.Max(0, (start - stop - step - 1) / -step);
        if (count > MaxRange)
        {
            throw new JinjaRuntimeException($"OverflowError: Range too big. The sandbox blocks ranges larger than MAX_RANGE ({MaxRange}).");
        }

        var items = new object?[count];
        for (long i = 0; i < count; i++)
        {
            items[i] = start + (i * step);
        }

        return new ListValue(items);
    }

    private static object? Namespace(Arguments args)
    {
        var ns = new NamespaceValue();
        if (args.Positional.Count > 1)
        {
            throw JinjaRuntimeException.Type($"namespace expected at most 1 argument, got {args.Positional.Count}");
        }

        if (args.Positional.Count == 1)
        {
            if (args.Positional[0] is not DictValue initial)
            {
                throw JinjaRuntimeException.Type("namespace's argument must be a mapping");
            }

            foreach ((object? key, object? value) in initial.Items)
            {
                ns.Set(PyOps.Str(key), value);
            }
        }

        foreach ((string key, object? value) in args.Keyword)
        {
            ns.Set(key, value);
        }

        return ns;
    }

    private static object? Dict(Arguments args)
    {
        var dict = new DictValue();
        if (args.Positional.Count == 1 && args.Positional[0] is DictValue initial)
        {
            foreach ((object? key, object? value) in initial.Items)
            {
                dict.Set(key, value);
            }
        }
        else if (args.Positional.Count > 0)
        {
            throw JinjaRuntimeException.Type("dict() takes a mapping or keyword arguments");
        }

        foreach ((string key, object? value) in args.Keyword)
        {
            dict.Set(key, value);
        }

        return dict;
    }

    /// <summary>Python's strftime for the directives chat templates use (Llama 3.1 writes "%d %b %Y").</summary>
    public static string Strftime(DateTime time, string format)
    {
        var text = new System.Text.StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                text.Append(format[i]);
                continue;
            }

            char d = format[++i];
            text.Append(d switch
            {
                'Y' => time.ToString("yyyy", c),
                'y' => time.ToString("yy", c),
                'm' => time.ToString("MM", c),
                'd' => time.ToString("dd", c),
                'e' => time.Day.ToString(c).PadLeft(2),
                'H' => time.ToString("HH", c),
                'I' => time.ToString("hh", c),
                'M' => time.ToString("mm", c),
                'S' => time.ToString("ss", c),
                'p' => time.Hour < 12 ? "AM" : "PM",
                'b' => time.ToString("MMM", c),
                'B' => time.ToString("MMMM", c),
                'a' => time.ToString("ddd", c),
                'A' => time.ToString("dddd", c),
                'j' => time.DayOfYear.ToString("000", c),
                '%' => "%",
                _ => throw new JinjaRuntimeException($"ValueError: strftime directive '%{d}' is not supported"),
            });
        }

        return text.ToString();
    }
}
