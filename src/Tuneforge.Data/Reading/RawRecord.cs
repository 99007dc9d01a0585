using Tuneforge.Data.Records;

namespace Tuneforge.Data.Reading;

/// <summary>One record's JSON bytes as read from a file, before parsing into fields; or the file error that
/// stops reading (raised in input order, after the records before it).</summary>
/// <param name="Json">The UTF-8 JSON of the record (a JSONL line or one element of an array).</param>
/// <param name="DefaultId">The id the record gets when it has none: file:line, or file[index] in an array.</param>
/// <param name="IsJsonChecked">The bytes were already parsed once (array elements), so they are valid JSON.</param>
internal sealed record RawRecord(ReadOnlyMemory<byte> Json, SourceLocation Location, string DefaultId, bool IsJsonChecked)
{
    public string? FatalError { get; init; }

    /// <summary>The files it was read with: how to map it and what origin it has.</summary>
    public InputSet? Set { get; init; }

    public static RawRecord Fatal(SourceLocation location, string message) =>
        new(ReadOnlyMemory<byte>.Empty, location, "", false) { FatalError = message };
}
