using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Reading;

/// <summary>The field names to look for in a file, per canonical field: data.columns renames a canonical field;
/// without it the canonical name (and its synonym: input/context, output/response) is used.</summary>
internal sealed class ColumnMap
{
    public ColumnMap(IReadOnlyDictionary<string, string> columns)
    {
        string Name(string canonical) => columns.TryGetValue(canonical, out var mapped) && !string.IsNullOrEmpty(mapped) ? mapped : canonical;
        Instruction = Name("instruction");
        Input = [.. new[] { Name("input"), Name("context") }.Distinct()];
        Response = [.. new[] { Name("output"), Name("response") }.Distinct()];
        System = Name("system");
        Category = Name("category");
        Id = Name("id");
        Messages = Name("messages");
        Conversations = Name("conversations");
        Prompt = Name("prompt");
        Completion = Name("completion");
        Chosen = Name("chosen");
        Rejected = Name("rejected");
        Label = Name("label");
        Consumed = new HashSet<string>([Instruction, .. Input, .. Response, System, Category, Id, Messages, Conversations, Prompt, Completion, Chosen, Rejected, Label], StringComparer.Ordinal);
        ConsumedUtf8 = [.. Consumed.Select(name => global::System.Text.Encoding.UTF8.GetBytes(name))];
        IsMapped = columns.Count > 0;
    }

    public static ColumnMap From(DataSpec spec) => new(spec.Columns);

    public string Instruction { get; }
    public string[] Input { get; }
    public string[] Response { get; }
    public string System { get; }
    public string Category { get; }
    public string Id { get; }

    /// <summary>OpenAI chat: [{role, content, reasoning_content?}].</summary>
    public string Messages { get; }

    /// <summary>ShareGPT: [{from, value}].</summary>
    public string Conversations { get; }

    /// <summary>Prompt/completion pairs: two strings, or two lists of messages (TRL's conversational form).</summary>
    public string Prompt { get; }
    public string Completion { get; }

    /// <summary>Preference pairs (TRL's names): the better and the worse answer to the same prompt.</summary>
    public string Chosen { get; }
    public string Rejected { get; }

    /// <summary>KTO's unpaired preference: true when the answer is desirable.</summary>
    public string Label { get; }

    /// <summary>The fields that decide a record's shape (one of them must be present).</summary>
    public IEnumerable<string> ShapeFields => [Messages, Conversations, Instruction, Prompt, Chosen];

    /// <summary>Every name a canonical field takes; the other fields become metadata.</summary>
    public IReadOnlySet<string> Consumed { get; }

    /// <summary>The same names in UTF-8, to compare with JSON property names without making strings.</summary>
    public byte[][] ConsumedUtf8 { get; }

    public bool IsMapped { get; }
}
