using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Cleaning;

/// <summary>What Clean did, as written to stats.json and summary.md. Input = kept + rejected, always.</summary>
public sealed record CleanStats
{
    public required int Input { get; init; }
    public required int Kept { get; init; }
    public required int Rejected { get; init; }

    /// <summary>Input records per data file, in reading order.</summary>
    public required IReadOnlyList<(string File, int Records)> Files { get; init; }

    /// <summary>Rejected records per reason code, ordered by count then code.</summary>
    public required IReadOnlyList<(string Reason, int Count, string FirstExample)> RejectedByReason { get; init; }

    /// <summary>Per category (ordinal order): records read, kept and rejected (unusable records have no category).</summary>
    public required IReadOnlyList<(string Category, int Input, int Kept, int Rejected)> ByCategory { get; init; }

    public required LengthDistribution CharsOfKept { get; init; }
    public LengthDistribution? TokensOfKept { get; init; }
    public required IReadOnlyList<(PiiKind Kind, int Count)> Redactions { get; init; }
    public required int ConflictGroups { get; init; }
    public required int ConflictRecords { get; init; }

    /// <summary>Records whose id repeated an earlier record's and was made unique (id@file:line).</summary>
    public required int RenamedIds { get; init; }

    public int RejectedFor(string reason) => RejectedByReason.FirstOrDefault(r => r.Reason == reason).Count;
}
