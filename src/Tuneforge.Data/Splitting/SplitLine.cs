using Tuneforge.Data.Records;

namespace Tuneforge.Data.Splitting;

/// <summary>What Split knows of one line of clean.jsonl, by its index.</summary>
internal sealed record SplitLine(string Id, string Category, RecordOrigin Origin, string SourceName, string? Group, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The value of a record field that split.stratify_by or split.balance.by names; null when the record has none.</summary>
    public string? Field(string field) => field switch
    {
        "category" => Category,
        "source" => SourceName,
        _ => Metadata.TryGetValue(field, out var value) ? value : null,
    };
}
