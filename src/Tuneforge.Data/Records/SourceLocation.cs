namespace Tuneforge.Data.Records;

/// <summary>Where a record (or an error) is: a file as the user named it, a 1-based line and optionally a column.</summary>
public sealed record SourceLocation(string File, int Line, int Column = 0)
{
    public override string ToString() => Column > 0 ? $"{File}:{Line}:{Column}" : $"{File}:{Line}";
}
