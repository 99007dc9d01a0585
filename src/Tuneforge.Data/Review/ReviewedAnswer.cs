using Tuneforge.Text;

namespace Tuneforge.Data.Review;

/// <summary>An answer a person judged: the conversation with the answer to train on (the correction when there is
/// one), the rating and who gave it. One format for Serve's feedback export and the review sheet import: both become
/// JSON lines that Clean reads as chat records, rating, correction flag, comment and provenance kept as metadata.</summary>
/// <param name="Messages">The prompt turns, then the assistant's answer (corrected, if <paramref name="Corrected"/>).</param>
/// <param name="Rating">The person's rating (Serve: any integer the client sent; review sheets: 1–5); null when not rated.</param>
public sealed record ReviewedAnswer(string Id, string Category, IReadOnlyList<ChatMessage> Messages, int? Rating, bool Corrected)
{
    public string? Comment { get; init; }

    /// <summary>Who reviewed it (the sheet's reviewer column).</summary>
    public string? Reviewer { get; init; }

    /// <summary>The model that answered (Serve's feedback).</summary>
    public string? Model { get; init; }

    /// <summary>The id of the response clients saw (Serve's feedback).</summary>
    public string? ResponseId { get; init; }

    /// <summary>The answer a correction replaced: with it the line is a preference pair (chosen = the correction), which
    /// SFT trains as the correction and DPO as a pair.</summary>
    public string? Rejected { get; init; }

    /// <summary>KTO's label of an uncorrected answer: whether its rating reached the export's minimum. Null in SFT exports.</summary>
    public bool? Label { get; init; }
}
