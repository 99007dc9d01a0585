namespace Tuneforge.Data.Records;

/// <summary>Where a record (or an error) is: a file as the user named it, a 1-based line and optionally a column.
/// In a Parquet file: the 1-based row group and the 1-based row within it (<see cref="Line"/>).</summary>
public sealed record SourceLocation(string File, int Line, int Column = 0)
{
    /// <summary>The 1-based row group of a Parquet file; null for text files.</summary>
    public int? RowGroup { get; init; }

    public override string ToString() =>
        RowGroup is { } group ? $"{File}:row group {group}:row {Line}"
        : Column > 0 ? $"{File}:{Line}:{Column}" : $"{File}:{Line}";
}
