namespace Tuneforge.Text.Jinja;

/// <summary>Python's <c>seq[start:stop:step]</c> on lists, tuples and strings (strings by code point).</summary>
internal static class Slicing
{
    public static object Slice(object? target, object? start, object? stop, object? step)
    {
        IReadOnlyList<object?> items = target switch
        {
            ListValue list => list,
            string s => PyText.CodePoints(s),
            Undefined undefined => throw undefined.Error(),
            _ => throw JinjaRuntimeException.Type($"'{PyOps.TypeName(target)}' object is not subscriptable"),
        };

        var picked = new List<object?>();
        foreach (int i in Indices(items.Count, start, stop, step))
        {
            picked.Add(items[i]);
        }

        return target switch
        {
            string => string.Concat(picked.Cast<string>()),
            ListValue list => new ListValue(picked, list.IsTuple),
            _ => throw new InvalidOperationException(),
        };
    }

    private static IEnumerable<int> Indices(int length, object? start, object? stop, object? step)
    {
        long by = step is null ? 1 : Index(step);
        if (by == 0)
        {
            throw new JinjaRuntimeException("ValueError: slice step cannot be zero");
        }

        long from, to;
        if (by > 0)
        {
            from = start is null ? 0 : Clamp(Index(start), length, 0, length);
            to = stop is null ? length : Clamp(Index(stop), length, 0, length);
            for (long i = from; i < to; i += by)
            {
                yield return (int)i;
            }
        }
        else
        {
            from = start is null ? length - 1 : Clamp(Index(start), length, -1, length - 1);
            to = stop is null ? -1 : Clamp(Index(stop), length, -1, length - 1);
            for (long i = from; i > to; i += by)
            {
                yield return (int)i;
            }
        }
    }

    private static long Clamp(long index, int length, long low, long high) => Math.Clamp(index < 0 ? index + length : index, low, high);

    private static long Index(object? value) => value is long or bool
        ? PyOps.ToLong(value)
        : throw JinjaRuntimeException.Type("slice indices must be integers or None");
}
