using Tuneforge.Data.Reading;
using Tuneforge.Data.Records;

namespace Tuneforge.Data.Cleaning;

/// <summary>A record after everything Clean can do to it alone (parse, map, normalize, redact, measure, hash),
/// waiting for the decisions that need the records before it (duplicates, conflicts).</summary>
internal sealed class PreparedRecord(RawRecord raw)
{
    public RawRecord Raw { get; } = raw;

    /// <summary>A file error (invalid JSON or UTF-8) with its location: it stops the stage.</summary>
    public string? FatalError { get; set; }

    public CanonicalRecord? Record { get; set; }

    /// <summary>Set when the record is rejected on its own (invalid, empty, too short or long).</summary>
    public string? Reason { get; set; }

    public string? Detail { get; set; }

    /// <summary>The record's canonical JSON (or the source JSON when it could not be mapped).</summary>
    public ReadOnlyMemory<byte> Json { get; set; }

    public UInt128 ConversationKey { get; set; }
    public UInt128 PromptKey { get; set; }
    public int Chars { get; set; }
    public int Tokens { get; set; } = -1;
    public uint[]? Shingles { get; set; }
    /// <summary>The LSH band keys of the record's MinHash signature.</summary>
    public uint[]? BandKeys { get; set; }

    /// <summary>Redactions per PII kind (indexed by PiiKind), or null when none.</summary>
    public int[]? Redactions { get; set; }
}
