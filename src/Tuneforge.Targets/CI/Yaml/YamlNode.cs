namespace Tuneforge.Targets;

/// <summary>A node of a YAML document written by <see cref="YamlWriter"/>: the generated workflows are built as these.</summary>
public abstract record YamlNode
{
    /// <summary>Written after the node on its line (<c># v4.2.2</c> after a pinned action).</summary>
    public string? Comment { get; init; }

    public static implicit operator YamlNode(string value) => new YamlScalar(value);
    public static implicit operator YamlNode(int value) => new YamlScalar(value.ToString(System.Globalization.CultureInfo.InvariantCulture), YamlScalarKind.Number);
    public static implicit operator YamlNode(bool value) => new YamlScalar(value ? "true" : "false", YamlScalarKind.Boolean);
}

public enum YamlScalarKind
{
    /// <summary>Text: written plain when YAML reads it back as the same text, quoted otherwise.</summary>
    String,
    Number,
    Boolean,
}

public sealed record YamlScalar(string Value, YamlScalarKind Kind = YamlScalarKind.String) : YamlNode;

/// <summary>A sequence; <see cref="Flow"/> writes it on one line (<c>[self-hosted, linux, x64, gpu]</c>) when its items allow.</summary>
public sealed record YamlSequence(IReadOnlyList<YamlNode> Items, bool Flow = false) : YamlNode;

/// <summary>A mapping that keeps the order its entries were added in, so the output is stable.</summary>
public sealed record YamlMapping : YamlNode
{
    readonly List<KeyValuePair<string, YamlNode>> entries = [];

    public IReadOnlyList<KeyValuePair<string, YamlNode>> Entries => entries;

    /// <summary>Keys preceded by an empty line, to separate the blocks of a document.</summary>
    public HashSet<string> SpacedKeys { get; } = [];

    public YamlNode this[string key]
    {
        set => Add(key, value);
    }

    public YamlMapping Add(string key, YamlNode? value)
    {
        if (value is null) return this;
        if (entries.Any(e => e.Key == key)) throw new InvalidOperationException($"Duplicate YAML key '{key}'.");
        entries.Add(new(key, value));
        return this;
    }

    /// <summary>Adds a text value; nothing when it is null.</summary>
    public YamlMapping Add(string key, string? value) => value is null ? this : Add(key, new YamlScalar(value));

    public bool ContainsKey(string key) => entries.Any(e => e.Key == key);
}
