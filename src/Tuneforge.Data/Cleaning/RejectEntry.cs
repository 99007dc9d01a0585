using Tuneforge.Data.Records;

namespace Tuneforge.Data.Cleaning;

/// <summary>One line of rejects.jsonl: why, where, and the record (canonical, or as in the file when unusable).</summary>
internal sealed record RejectEntry(string Reason, string Detail, SourceLocation Source, ReadOnlyMemory<byte> Record)
{
    /// <summary>For a duplicate or conflict: the id of the kept record it repeats or contradicts.</summary>
    public string? DuplicateOf { get; init; }

    /// <summary>For a near duplicate: the Jaccard similarity of the character n-grams.</summary>
    public double? Similarity { get; init; }
}
