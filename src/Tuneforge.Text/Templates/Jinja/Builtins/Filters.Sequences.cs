namespace Tuneforge.Text.Jinja;

/// <summary>The filters over sequences: sort, dictsort, unique, min/max, sum, map, select/reject(attr).</summary>
internal static partial class Filters
{
    private static readonly IComparer<object?> PyOrder = Comparer<object?>.Create((a, b) => PyOps.Compare(a, b));

    /// <summary>Jinja2's attribute getter: "a.b.0" reads item a, then b, then index 0; what is missing is Undefined.</summary>
    private static Func<object?, object?> ItemGetter(object? attribute)
    {
        if (attribute is long or bool)
        {
            return item => Attributes.Item(item, attribute);
        }

        string[] parts = PyOps.Str(attribute).Split('.');
        return item =>
        {
            object? value = item;
            foreach (string part in parts)
            {
                object key = part.Length > 0 && part.All(char.IsAsciiDigit) ? long.Parse(part, System.Globalization.CultureInfo.InvariantCulture) : part;
                value = value is Undefined ? value : Attributes.Item(value, key);
            }

            return value;
        };
    }

    private static Func<object?, object?> SortKey(object? attribute, bool caseSensitive)
    {
        Func<object?, object?> get = attribute == Arguments.Missing || attribute is null ? x => x : ItemGetter(attribute);
        return caseSensitive ? get : x => get(x) is string s ? PyText.Lower(s) : get(x);
    }

    private static object? Sort(object? value, Arguments args)
    {
        object?[] a = args.Bind("sort", "reverse", "case_sensitive", "attribute");
        Func<object?, object?> key = SortKey(a[2], Flag(a[1]));
        IEnumerable<object?> items = PyOps.Iterate(value);
        return new ListValue((Flag(a[0]) ? items.OrderByDescending(key, PyOrder) : items.OrderBy(key, PyOrder)).ToArray());
    }

    private static object? DictSort(object? value, Arguments args)
    {
        object?[] a = args.Bind("dictsort", "case_sensitive", "by", "reverse");
        if (value is not DictValue dict)
        {
            throw JinjaRuntimeException.Type("dictsort needs a mapping");
        }

        int position = Arguments.Or(a[1], "key") switch
        {
            "key" => 0,
            "value" => 1,
            _ => throw new JinjaRuntimeException("FilterArgumentError: You can only sort by either \"key\" or \"value\""),
        };
        bool caseSensitive = Flag(a[0]);
        var pairs = dict.Items.Select(i => new ListValue([i.Key, i.Value], isTuple: true)).ToList();
        object? Key(ListValue pair) => !caseSensitive && pair[position] is string s ? PyText.Lower(s) : pair[position];
        IEnumerable<ListValue> sorted = Flag(a[2]) ? pairs.OrderByDescending(Key, PyOrder) : pairs.OrderBy(Key, PyOrder);
        return new ListValue(sorted.Cast<object?>().ToArray());
    }

    private static object? Unique(object? value, Arguments args)
    {
        object?[] a = args.Bind("unique", "case_sensitive", "attribute");
        Func<object?, object?> key = SortKey(a[1], Flag(a[0]));
        var seen = new DictValue();
        var kept = new List<object?>();
        foreach (object? item in PyOps.Iterate(value))
        {
            object? k = key(item);
            if (!seen.ContainsKey(k))
            {
                seen.Set(k, null);
                kept.Add(item);
            }
        }

        return new ListValue(kept);
    }

    private static object? MinMax(object? value, Arguments args, string which)
    {
        object?[] a = args.Bind(which, "case_sensitive", "attribute");
        Func<object?, object?> key = SortKey(a[1], Flag(a[0]));
        IReadOnlyList<object?> items = PyOps.Iterate(value);
        if (items.Count == 0)
        {
            return Undefined.Because("No aggregated item, sequence was empty.");
        }

        object? best = items[0];
        foreach (object? item in items.Skip(1))
        {
            int order = PyOps.Compare(key(item), key(best));
            if (which == "min" ? order < 0 : order > 0)
            {
                best = item;
            }
        }

        return best;
    }

    private static object? Sum(object? value, Arguments args)
    {
        object?[] a = args.Bind("sum", "attribute", "start");
        object? total = Arguments.Or<object?>(a[1], 0L);
        Func<object?, object?> get = a[0] == Arguments.Missing || a[0] is null ? x => x : ItemGetter(a[0]);
        foreach (object? item in PyOps.Iterate(value))
        {
            total = PyOps.Binary("+", total, get(item));
        }

        return total;
    }

    private static object? Map(Evaluator evaluator, object? value, Arguments args)
    {
        IReadOnlyList<object?> items = PyOps.Iterate(value);
        if (args.Positional.Count == 0)
        {
            object?[] a = args.Bind("map", "attribute", "default");
            if (a[0] == Arguments.Missing)
            {
                throw new JinjaRuntimeException("FilterArgumentError: map requires a filter name or attribute=");
            }

            Func<object?, object?> get = ItemGetter(a[0]);
            return new ListValue(items.Select(item =>
            {
                object? mapped = get(item);
                return mapped is Undefined && a[1] != Arguments.Missing ? a[1] : mapped;
            }).ToArray());
        }

        string filter = Require<string>(args.Positional[0], "map", "filter name");
        var rest = new Arguments(args.Positional.Skip(1).ToArray(), args.Keyword);
        return new ListValue(items.Select(item => Apply(evaluator, filter, item, rest)).ToArray());
    }

    private static object? Select(Evaluator evaluator, object? value, Arguments args, string filter, bool attribute, bool keep)
    {
        int offset = 0;
        Func<object?, object?> get = x => x;
        if (attribute)
        {
            if (args.Positional.Count == 0)
            {
                throw new JinjaRuntimeException($"FilterArgumentError: {filter} is missing the attribute name");
            }

            get = ItemGetter(args.Positional[0]);
            offset = 1;
        }

        Func<object?, bool> passes = PyOps.Truthy;
        if (args.Positional.Count > offset)
        {
            string test = Require<string>(args.Positional[offset], filter, "test name");
            var rest = new Arguments(args.Positional.Skip(offset + 1).ToArray(), args.Keyword);
            passes = item => Tests.Apply(test, item, rest);
        }

        return new ListValue(PyOps.Iterate(value).Where(item => passes(get(item)) == keep).ToArray());
    }
}
