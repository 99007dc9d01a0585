using System.Collections;

namespace Tuneforge.Text.Jinja;

/// <summary>A Python list or tuple (immutable here: the sandbox forbids templates to modify lists).</summary>
internal sealed class ListValue(IReadOnlyList<object?> items, bool isTuple = false) : IReadOnlyList<object?>
{
    public static readonly ListValue Empty = new([]);

    public bool IsTuple { get; } = isTuple;

    public int Count => items.Count;

    public object? this[int index] => items[index];

    public IEnumerator<object?> GetEnumerator() => items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A Python dict: insertion-ordered, keys compared as Python compares them (1 == 1.0 == True).</summary>
internal sealed class DictValue
{
    private readonly List<object?> _keys = [];
    private readonly List<object?> _values = [];
    private readonly Dictionary<PyKey, int> _index = [];

    public int Count => _keys.Count;

    public IReadOnlyList<object?> Keys => _keys;

    public IReadOnlyList<object?> Values => _values;

    public IEnumerable<(object? Key, object? Value)> Items => _keys.Select((key, i) => (key, _values[i]));

    public void Set(object? key, object? value)
    {
        var pyKey = new PyKey(key);
        if (_index.TryGetValue(pyKey, out int at))
        {
            _values[at] = value;
            return;
        }

        _index[pyKey] = _keys.Count;
        _keys.Add(key);
        _values.Add(value);
    }

    public bool TryGet(object? key, out object? value)
    {
        if (PyKey.IsHashable(key) && _index.TryGetValue(new PyKey(key), out int at))
        {
            value = _values[at];
            return true;
        }

        value = null;
        return false;
    }

    public bool ContainsKey(object? key) => PyKey.IsHashable(key) && _index.ContainsKey(new PyKey(key));

    // A dict key with Python's equality and a hash that agrees with it across int, float and bool.
    private readonly struct PyKey(object? value) : IEquatable<PyKey>
    {
        public object? Value { get; } = PyKey.IsHashable(value)
            ? value
            : throw JinjaRuntimeException.Type($"unhashable type: '{PyOps.TypeName(value)}'");

        public static bool IsHashable(object? value) =>
            value is not (DictValue or NamespaceValue) && (value is not ListValue list || (list.IsTuple && list.All(IsHashable)));

        public bool Equals(PyKey other) => PyOps.Equal(Value, other.Value);

        public override bool Equals(object? obj) => obj is PyKey other && Equals(other);

        public override int GetHashCode() => Value switch
        {
            null => 0,
            bool b => b ? 1 : 0,
            long l => l.GetHashCode(),
            double d when d == Math.Floor(d) && Math.Abs(d) < 9e18 => ((long)d).GetHashCode(),
            double d => d.GetHashCode(),
            string s => StringComparer.Ordinal.GetHashCode(s),
            ListValue tuple => tuple.Aggregate(17, (hash, item) => (hash * 31) + new PyKey(item).GetHashCode()),
            _ => Value.GetHashCode(),
        };
    }
}

/// <summary>Jinja2's namespace(): the one object a template may change, so loops can carry values out.</summary>
internal sealed class NamespaceValue
{
    private readonly DictValue _attributes = new();

    public DictValue Attributes => _attributes;

    public bool TryGet(string name, out object? value) => _attributes.TryGet(name, out value);

    public void Set(string name, object? value) => _attributes.Set(name, value);
}
