using System.Globalization;
using Tuneforge.Data.Cleaning;

namespace Tuneforge.Data.Inspection;

/// <summary>What Inspect found in the train part: the first examples token by token, every record's rendered length,
/// and what max_seq_length does to them.</summary>
/// <param name="Lengths">Tokens per rendered record, before truncation.</param>
/// <param name="Truncated">Records longer than max_seq_length (Train keeps their first max_seq_length tokens).</param>
/// <param name="TruncatedTokens">Tokens cut off in all, trained ones or not.</param>
/// <param name="Dropped">Truncated records left without a trained token (Train skips them).</param>
public sealed record InspectResult(IReadOnlyList<ExampleView> Examples, LengthDistribution Lengths, int Records, int MaxSeqLength,
    int Truncated, long TruncatedTokens, int Dropped, long TrainedTokens, string TemplateName, string OutputDirectory)
{
    /// <summary>The token-by-token text of the examples, as the build logs it.</summary>
    public string TextView { get; init; } = "";

    public IReadOnlyList<(string Key, string Value)> SummaryPairs() =>
    [
        ("records", Records.ToString(CultureInfo.InvariantCulture)),
        ("tokens p50/p99/max", $"{Lengths.P50}/{Lengths.P99}/{Lengths.Max}"),
        ("truncated", $"{Truncated} (max_seq_length {MaxSeqLength})"),
    ];
}
