using System.Text;
using System.Text.RegularExpressions;

namespace Tuneforge.Targets;

/// <summary>Writes <see cref="YamlNode"/> trees as block-style YAML, two spaces per level, '\n' line ends. A string is
/// written plain only when every YAML 1.1 and 1.2 reader gets the same text back; otherwise single-quoted, or as a
/// literal block (<c>|</c>) when it has several lines.</summary>
public static partial class YamlWriter
{
    public static string Write(YamlMapping document)
    {
        var builder = new StringBuilder();
        WriteMapping(builder, document, 0);
        return builder.ToString();
    }

    static void WriteMapping(StringBuilder builder, YamlMapping mapping, int indent)
    {
        foreach (var (key, value) in mapping.Entries)
        {
            if (mapping.SpacedKeys.Contains(key)) builder.Append('\n');
            builder.Append(' ', indent).Append(Key(key)).Append(':');
            WriteValue(builder, value, indent);
        }
    }

    // After "key:" or "- ": either the rest of the line, or a newline and a nested block.
    static void WriteValue(StringBuilder builder, YamlNode value, int indent)
    {
        switch (value)
        {
            case YamlScalar scalar when scalar.Value.Contains('\n'):
                // An indentation indicator when the text itself starts with spaces; "-" strips a missing final newline.
                builder.Append(" |").Append(scalar.Value.StartsWith(' ') ? "2" : "").Append(scalar.Value.EndsWith('\n') ? "" : "-");
                AppendComment(builder, value);
                foreach (var line in scalar.Value.TrimEnd('\n').Split('\n'))
                    builder.Append(line.Length == 0 ? "" : new string(' ', indent + 2) + line).Append('\n');
                break;
            case YamlScalar scalar:
                builder.Append(' ').Append(Scalar(scalar));
                AppendComment(builder, value);
                break;
            case YamlSequence { Items.Count: 0 }:
                builder.Append(" []");
                AppendComment(builder, value);
                break;
            case YamlSequence sequence when sequence.Flow && sequence.Items.All(i => i is YamlScalar s && !s.Value.Contains('\n') && i.Comment is null):
                builder.Append(" [").Append(string.Join(", ", sequence.Items.Select(i => FlowScalar((YamlScalar)i)))).Append(']');
                AppendComment(builder, value);
                break;
            case YamlSequence sequence:
                AppendComment(builder, value);
                foreach (var item in sequence.Items) WriteItem(builder, item, indent + 2);
                break;
            case YamlMapping { Entries.Count: 0 }:
                builder.Append(" {}");
                AppendComment(builder, value);
                break;
            case YamlMapping mapping:
                AppendComment(builder, value);
                WriteMapping(builder, mapping, indent + 2);
                break;
        }
    }

    static void WriteItem(StringBuilder builder, YamlNode item, int indent)
    {
        builder.Append(' ', indent).Append('-');
        if (item is YamlMapping { Entries.Count: > 0 } mapping)
        {
            // "- key: value" with the following keys aligned under the first.
            var nested = new StringBuilder();
            WriteMapping(nested, mapping, indent + 2);
            builder.Append(' ').Append(nested.ToString(indent + 2, nested.Length - indent - 2));
            return;
        }
        WriteValue(builder, item, indent);
    }

    static void AppendComment(StringBuilder builder, YamlNode node)
    {
        if (node.Comment is { } comment) builder.Append(" # ").Append(comment);
        builder.Append('\n');
    }

    static string Key(string key) => PlainKey().IsMatch(key) ? key : Quote(key);

    static string Scalar(YamlScalar scalar) => scalar.Kind switch
    {
        YamlScalarKind.String => IsPlainSafe(scalar.Value) ? scalar.Value : Quote(scalar.Value),
        _ => scalar.Value,
    };

    // Inside [ ] the flow indicators , [ ] { } end a plain scalar too.
    static string FlowScalar(YamlScalar scalar) =>
        scalar.Kind == YamlScalarKind.String && (!IsPlainSafe(scalar.Value) || scalar.Value.IndexOfAny([',', '[', ']', '{', '}']) >= 0)
            ? Quote(scalar.Value)
            : scalar.Value;

    static string Quote(string value) => $"'{value.Replace("'", "''")}'";

    /// <summary>True when the text reads back as the same string from a plain scalar in block context.</summary>
    public static bool IsPlainSafe(string value) =>
        value.Length > 0
        && value == value.Trim()
        && !"-?:,[]{}#&*!|>'\"%@`".Contains(value[0])
        && !value.Contains(": ") && !value.Contains(" #") && !value.EndsWith(':')
        && !value.Any(c => char.IsControl(c))
        && !ResolvesToNonString().IsMatch(value);

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.-]*$")]
    private static partial Regex PlainKey();

    // Booleans, nulls and numbers of YAML 1.1 (yes/no/on/off, 0o17, 1_000, 1:20 sexagesimal) and 1.2.
    [GeneratedRegex(@"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|[-+]?(?:\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN|[-+]?[0-9][0-9_:]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?|0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0b[01_]+)$")]
    private static partial Regex ResolvesToNonString();
}
