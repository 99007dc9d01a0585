using Tuneforge.Text;

namespace Tuneforge.Data.Records;

/// <summary>One question/answer example, whatever shape it was read from: the messages of a conversation that
/// ends with the assistant's answer, plus where it came from.</summary>
/// <param name="Id">The record's id from the file, or file:line when it had none; unique within a dataset.</param>
/// <param name="Messages">system? then user/assistant turns; the last one is the assistant's answer.</param>
/// <param name="Category">The category from the file, or data.default_category.</param>
/// <param name="Source">The file and line (or Parquet row) the record starts on.</param>
public sealed record CanonicalRecord(string Id, IReadOnlyList<ChatMessage> Messages, string Category, SourceLocation Source)
{
    /// <summary>Fields of the source record that no canonical field took, as text (JSON for objects and arrays).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = EmptyMetadata;

    /// <summary>Records with the same group must stay in one split part: kept records that share a prompt.
    /// Null for a record that stands alone.</summary>
    public string? Group { get; init; }

    /// <summary>Which part of the data spec the record came from.</summary>
    public RecordOrigin Origin { get; init; }

    /// <summary>The name a data.mix entry gives its records; null for the others (their source is their file).</summary>
    public string? Dataset { get; init; }

    /// <summary>The record's source as reports group it: the data.mix entry's name, else the file.</summary>
    public string SourceName => Dataset ?? Source.File;

    /// <summary>A preference pair's rejected answer; the last message is then the chosen one. Null for other records.</summary>
    public string? Rejected { get; init; }

    /// <summary>An unpaired preference (KTO): true when the answer is desirable, false when it is not. Null for other records.</summary>
    public bool? Label { get; init; }

    /// <summary>A record that preference training learns from: a pair or a labelled answer.</summary>
    public bool IsPreference => Rejected is not null || Label is not null;

    /// <summary>The final answer: the last message's content.</summary>
    public string Response => Messages[^1].Content;

    /// <summary>Every message before the answer.</summary>
    public IEnumerable<ChatMessage> PromptMessages => Messages.Take(Messages.Count - 1);

    internal static readonly IReadOnlyDictionary<string, string> EmptyMetadata = new Dictionary<string, string>();
}
