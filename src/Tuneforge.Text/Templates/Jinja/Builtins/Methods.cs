namespace Tuneforge.Text.Jinja;

/// <summary>The methods of strings, dicts and lists that templates call (<c>content.startswith('&lt;think&gt;')</c>, <c>tool.items()</c>).</summary>
internal static class Methods
{
    private static readonly string[] StringMethods =
    [
        "capitalize", "count", "endswith", "find", "index", "isalnum", "isalpha", "isdigit", "islower", "isspace",
        "isupper", "join", "lower", "lstrip", "removeprefix", "removesuffix", "replace", "rfind", "rsplit", "rstrip",
        "split", "splitlines", "startswith", "strip", "title", "upper",
    ];

    private static readonly string[] DictMethods = ["get", "items", "keys", "values"];

    private static readonly string[] ListMethods = ["count", "index"];

    /// <summary>Every method name some value has, for the load-time check of <c>x.name(...)</c> calls (loop.cycle included).</summary>
    public static IReadOnlySet<string> KnownNames { get; } =
        StringMethods.Concat(DictMethods).Concat(ListMethods).Append("cycle").ToHashSet(StringComparer.Ordinal);

    public static Callable? Find(object? target, string name) => target switch
    {
        string s when StringMethods.Contains(name) => new BuiltinFunction($"str.{name}", args => OfString(s, name, args)),
        DictValue d when DictMethods.Contains(name) => new BuiltinFunction($"dict.{name}", args => OfDict(d, name, args)),
        ListValue l when ListMethods.Contains(name) => new BuiltinFunction($"{PyOps.TypeName(l)}.{name}", args => OfList(l, name, args)),
        _ => null,
    };

    private static object? OfString(string s, string name, Arguments args)
    {
        string callee = $"str.{name}()";
        switch (name)
        {
            case "strip" or "lstrip" or "rstrip":
                string? chars = OptionalString(args.Bind(callee, "chars")[0], callee);
                return name == "strip" ? PyText.Strip(s, chars) : name == "lstrip" ? PyText.LStrip(s, chars) : PyText.RStrip(s, chars);
            case "startswith" or "endswith":
                object?[] a = args.Bind(callee, "prefix", "start", "end");
                string part = Slice(s, a[1], a[2]);
                IEnumerable<string> candidates = a[0] switch
                {
                    string one => [one],
                    ListValue { IsTuple: true } many => many.Select(x => x as string ?? throw JinjaRuntimeException.Type($"tuple for {name} must only contain str")),
                    _ => throw JinjaRuntimeException.Type($"{name} first arg must be str or a tuple of str, not {PyOps.TypeName(a[0])}"),
                };
                return candidates.Any(c => name == "startswith" ? part.StartsWith(c, StringComparison.Ordinal) : part.EndsWith(c, StringComparison.Ordinal));
            case "split" or "rsplit":
                object?[] split = args.Bind(callee, "sep", "maxsplit");
                string? sep = OptionalString(split[0], callee);
                int max = (int)Arguments.Or(split[1], -1L);
                return new ListValue((name == "split" ? PyText.Split(s, sep, max) : PyText.RSplit(s, sep, max)).ToArray<object?>());
            case "splitlines":
                args.Bind(callee);
                return new ListValue(PyText.SplitLines(s).ToArray<object?>());
            case "replace":
                object?[] r = args.Bind(callee, "old", "new", "count");
                return Replace(s, RequireString(r[0], callee), RequireString(r[1], callee), (int)Arguments.Or(r[2], -1L));
            case "join":
                return string.Join(s, PyOps.Iterate(args.Bind(callee, "iterable")[0]).Select(x =>
                    x as string ?? throw JinjaRuntimeException.Type($"sequence item: expected str instance, {PyOps.TypeName(x)} found")));
            case "find" or "rfind" or "index" or "count":
                object?[] f = args.Bind(callee, "sub", "start", "end");
                string sub = RequireString(f[0], callee);
                string within = Slice(s, f[1], f[2]);
                if (name == "count")
                {
                    return (long)Count(within, sub);
                }

                int found = name == "rfind" ? within.LastIndexOf(sub, StringComparison.Ordinal) : within.IndexOf(sub, StringComparison.Ordinal);
                if (found < 0 && name == "index")
                {
                    throw new JinjaRuntimeException("ValueError: substring not found");
                }

                return found < 0 ? -1L : (long)(PyText.Length(within[..found]) + Start(s, f[1]));
            case "removeprefix" or "removesuffix":
                string affix = RequireString(args.Bind(callee, "affix")[0], callee);
                if (name == "removeprefix")
                {
                    return s.StartsWith(affix, StringComparison.Ordinal) ? s[affix.Length..] : s;
                }

                return affix.Length > 0 && s.EndsWith(affix, StringComparison.Ordinal) ? s[..^affix.Length] : s;
        }

        args.Bind(callee);
        return name switch
        {
            "upper" => PyText.Upper(s),
            "lower" => PyText.Lower(s),
            "title" => PyText.Title(s),
            "capitalize" => PyText.Capitalize(s),
            "isspace" => s.Length > 0 && PyText.IsAllSpace(s),
            "isdigit" => s.Length > 0 && s.All(char.IsDigit),
            "isalpha" => s.Length > 0 && s.All(char.IsLetter),
            "isalnum" => s.Length > 0 && s.All(char.IsLetterOrDigit),
            "islower" => s.Any(char.IsLower) && !s.Any(c => char.IsUpper(c) || CharIsTitle(c)),
            "isupper" => s.Any(char.IsUpper) && !s.Any(c => char.IsLower(c) || CharIsTitle(c)),
            _ => throw new InvalidOperationException(name),
        };
    }

    private static bool CharIsTitle(char c) => char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.TitlecaseLetter;

    public static string Replace(string s, string old, string replacement, int count)
    {
        if (count == 0)
        {
            return s;
        }

        if (old.Length == 0)
        {
            string[] points = PyText.CodePoints(s);
            var result = new System.Text.StringBuilder();
            int inserted = 0;
            for (int i = 0; i <= points.Length; i++)
            {
                if (count < 0 || inserted < count)
                {
                    result.Append(replacement);
                    inserted++;
                }

                if (i < points.Length)
                {
                    result.Append(points[i]);
                }
            }

            return result.ToString();
        }

        if (count < 0)
        {
            return s.Replace(old, replacement, StringComparison.Ordinal);
        }

        var text = new System.Text.StringBuilder();
        int from = 0;
        for (int done = 0; done < count; done++)
        {
            int at = s.IndexOf(old, from, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }

            text.Append(s, from, at - from).Append(replacement);
            from = at + old.Length;
        }

        return text.Append(s, from, s.Length - from).ToString();
    }

    private static int Count(string s, string sub)
    {
        if (sub.Length == 0)
        {
            return PyText.Length(s) + 1;
        }

        int count = 0;
        for (int at = s.IndexOf(sub, StringComparison.Ordinal); at >= 0; at = s.IndexOf(sub, at + sub.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    // The s[start:end] that startswith/find/count look at (code point positions).
    private static string Slice(string s, object? start, object? end)
    {
        if ((start == Arguments.Missing || start is null) && (end == Arguments.Missing || end is null))
        {
            return s;
        }

        return (string)Slicing.Slice(s, start == Arguments.Missing ? null : start, end == Arguments.Missing ? null : end, null);
    }

    private static int Start(string s, object? start)
    {
        if (start == Arguments.Missing || start is null)
        {
            return 0;
        }

        long at = PyOps.ToLong(start);
        int length = PyText.Length(s);
        return (int)Math.Clamp(at < 0 ? at + length : at, 0, length);
    }

    private static object? OfDict(DictValue d, string name, Arguments args)
    {
        string callee = $"dict.{name}()";
        if (name == "get")
        {
            object?[] a = args.Bind(callee, "key", "default");
            if (a[0] == Arguments.Missing)
            {
                throw JinjaRuntimeException.Type("get expected at least 1 argument, got 0");
            }

            return d.TryGet(a[0], out object? value) ? value : Arguments.Or<object?>(a[1], null);
        }

        args.Bind(callee);
        return name switch
        {
            "items" => new ListValue(d.Items.Select(i => (object?)new ListValue([i.Key, i.Value], isTuple: true)).ToArray()),
            "keys" => new ListValue(d.Keys.ToArray()),
            "values" => new ListValue(d.Values.ToArray()),
            _ => throw new InvalidOperationException(name),
        };
    }

    private static object? OfList(ListValue list, string name, Arguments args)
    {
        object? item = args.Bind($"{PyOps.TypeName(list)}.{name}()", "value")[0];
        if (name == "count")
        {
            return (long)list.Count(x => PyOps.Equal(x, item));
        }

        for (int i = 0; i < list.Count; i++)
        {
            if (PyOps.Equal(list[i], item))
            {
                return (long)i;
            }
        }

        throw new JinjaRuntimeException($"ValueError: {PyOps.Repr(item)} is not in list");
    }

    private static string? OptionalString(object? value, string callee) => value == Arguments.Missing || value is null
        ? null
        : value as string ?? throw JinjaRuntimeException.Type($"{callee} argument must be str or None, not {PyOps.TypeName(value)}");

    private static string RequireString(object? value, string callee) =>
        value as string ?? throw JinjaRuntimeException.Type($"{callee} argument must be str, not {PyOps.TypeName(value)}");
}
