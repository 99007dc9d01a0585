using Tuneforge.Data.Records;

namespace Tuneforge.Data.Review;

/// <summary>One filled-in row of a review sheet: the exported id and question, and what the expert wrote.</summary>
internal sealed record ReviewRow(SourceLocation Where, string Id, string? Question, int? Rating, string? Correction, string? Comment, string? Reviewer);
