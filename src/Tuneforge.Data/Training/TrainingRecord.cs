using Tuneforge.Text;

namespace Tuneforge.Data.Training;

/// <summary>One conversation of a split file; <paramref name="Location"/> is file:line for messages.</summary>
public sealed record TrainingRecord(string Id, IReadOnlyList<ChatMessage> Messages, string Location)
{
    /// <summary>A preference pair's rejected answer (the last message is the chosen one); null for other records.</summary>
    public string? Rejected { get; init; }

    /// <summary>KTO's label: false marks an undesirable answer, which SFT never trains on.</summary>
    public bool? Label { get; init; }
}
