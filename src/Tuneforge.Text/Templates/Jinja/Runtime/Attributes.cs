namespace Tuneforge.Text.Jinja;

/// <summary>
/// <c>x.name</c> and <c>x[key]</c> as the sandbox resolves them: dot tries the attribute (a method) then the item,
/// brackets the item then the attribute; what is missing is Undefined, what would mutate is refused.
/// </summary>
internal static class Attributes
{
    private static readonly HashSet<string> Mutating =
        ["append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "update", "setdefault", "popitem", "add", "discard"];

    public static object? Get(object? target, string name)
    {
        switch (target)
        {
            case Undefined undefined:
                throw undefined.Error();
            case NamespaceValue ns:
                return ns.TryGet(name, out object? value) ? value : Missing(target, name);
            case LoopContext loop:
                return loop.Get(name);
            case DictValue dict:
                if (Methods.Find(dict, name) is { } dictMethod)
                {
                    return dictMethod;
                }

                if (Mutating.Contains(name))
                {
                    return Undefined.Unsafe(name, target);
                }

                return dict.TryGet(name, out object? item) ? item : Missing(target, name);
            case ListValue or string:
                if (Methods.Find(target, name) is { } method)
                {
                    return method;
                }

                return target is ListValue && Mutating.Contains(name) ? Undefined.Unsafe(name, target) : Missing(target, name);
            default:
                return Missing(target, name);
        }
    }

    /// <summary>Python's getattr alone (the attr filter): a dict's keys are not its attributes.</summary>
    public static object? AttributeOnly(object? target, string name) => target switch
    {
        Undefined undefined => throw undefined.Error(),
        DictValue dict => Methods.Find(dict, name) ?? (object)Missing(target, name),
        _ => Get(target, name),
    };

    public static object? Item(object? target, object? key)
    {
        switch (target)
        {
            case Undefined undefined:
                throw undefined.Error();
            case DictValue dict:
                if (dict.TryGet(key, out object? value))
                {
                    return value;
                }

                return key is string keyName && Methods.Find(dict, keyName) is { } method ? method : Missing(target, key);
            case ListValue list when key is long or bool:
                long index = PyOps.ToLong(key);
                index = index < 0 ? index + list.Count : index;
                return index >= 0 && index < list.Count ? list[(int)index] : Missing(target, key);
            case string s when key is long or bool:
                string[] points = PyText.CodePoints(s);
                long at = PyOps.ToLong(key);
                at = at < 0 ? at + points.Length : at;
                return at >= 0 && at < points.Length ? points[at] : Missing(target, key);
            default:
                return key is string name ? Get(target, name) : Missing(target, key);
        }
    }

    // Jinja2's hint: "'dict object' has no attribute 'x'", "list object has no element 3".
    private static Undefined Missing(object? target, object? key)
    {
        string owner = target is null ? "None" : $"{PyOps.TypeName(target)} object";
        return key is string name
            ? Undefined.Because($"'{owner}' has no attribute '{name}'")
            : Undefined.Because($"{owner} has no element {PyOps.Repr(key)}");
    }
}
