using System.Text;

namespace Tuneforge.Text.Jinja;

/// <summary>Python's json.dumps, as transformers' tojson filter calls it (ensure_ascii=False unless asked).</summary>
internal static class PyJson
{
    public static string Dumps(object? value, bool ensureAscii, string? indent, (string Item, string Key)? separators, bool sortKeys)
    {
        (string item, string key) = separators ?? (indent is null ? (", ", ": ") : (",", ": "));
        var text = new StringBuilder();
        Write(text, value, ensureAscii, indent, item, key, sortKeys, 0);
        return text.ToString();
    }

    private static void Write(StringBuilder text, object? value, bool ascii, string? indent, string item, string key, bool sort, int depth)
    {
        switch (value)
        {
            case null: text.Append("null"); return;
            case bool b: text.Append(b ? "true" : "false"); return;
            case long l: text.Append(PyOps.Repr(l)); return;
            case double d: text.Append(double.IsNaN(d) ? "NaN" : double.IsInfinity(d) ? (d > 0 ? "Infinity" : "-Infinity") : PyFloat.Repr(d)); return;
            case string s: WriteString(text, s, ascii); return;
            case ListValue list:
                WriteContainer(text, '[', ']', list.Count, indent, item, depth, i => Write(text, list[i], ascii, indent, item, key, sort, depth + 1));
                return;
            case DictValue dict:
                var entries = dict.Items.Select(e => (Key: KeyText(e.Key), e.Value)).ToList();
                if (sort)
                {
                    entries = [.. entries.OrderBy(e => e.Key, Comparer<string>.Create(PyOps.CompareCodePoints))];
                }

                WriteContainer(text, '{', '}', entries.Count, indent, item, depth, i =>
                {
                    WriteString(text, entries[i].Key, ascii);
                    text.Append(key);
                    Write(text, entries[i].Value, ascii, indent, item, key, sort, depth + 1);
                });
                return;
            default:
                throw JinjaRuntimeException.Type($"Object of type {PyOps.TypeName(value)} is not JSON serializable");
        }
    }

    private static void WriteContainer(StringBuilder text, char open, char close, int count, string? indent, string item, int depth, Action<int> writeItem)
    {
        text.Append(open);
        if (count == 0)
        {
            text.Append(close);
            return;
        }

        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                text.Append(item);
            }

            if (indent is not null)
            {
                text.Append('\n').Append(string.Concat(Enumerable.Repeat(indent, depth + 1)));
            }

            writeItem(i);
        }

        if (indent is not null)
        {
            text.Append('\n').Append(string.Concat(Enumerable.Repeat(indent, depth)));
        }

        text.Append(close);
    }

    // json.dumps turns non-string keys into strings: True -> "true", None -> "null", 1.5 -> "1.5".
    private static string KeyText(object? key) => key switch
    {
        string s => s,
        null => "null",
        bool b => b ? "true" : "false",
        long or double => PyOps.Repr(key),
        _ => throw JinjaRuntimeException.Type($"keys must be str, int, float, bool or None, not {PyOps.TypeName(key)}"),
    };

    private static void WriteString(StringBuilder text, string s, bool ascii)
    {
        text.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (c < 0x20 || (ascii && c > 0x7E))
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }
}
