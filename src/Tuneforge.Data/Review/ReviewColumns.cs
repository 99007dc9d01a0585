namespace Tuneforge.Data.Review;

/// <summary>The columns of a review sheet, as ExportReview writes them and the import reads them back (by name, so an
/// expert may reorder or hide columns). The last four are the expert's.</summary>
public static class ReviewColumns
{
    public const string Id = "id";
    public const string Category = "category";
    public const string Source = "source";
    public const string Why = "why";
    public const string Question = "question";
    public const string Reference = "reference";
    public const string TunedAnswer = "tuned_answer";
    public const string BaseAnswer = "base_answer";
    public const string Rating = "rating";
    public const string CorrectedAnswer = "corrected_answer";
    public const string Comment = "comment";
    public const string Reviewer = "reviewer";

    /// <summary>The score columns of a metric: tuned and base.</summary>
    public static (string Tuned, string Base) Scores(string metric) => ($"{metric}_tuned", $"{metric}_base");

    public static IReadOnlyList<string> ExpertColumns { get; } = [Rating, CorrectedAnswer, Comment, Reviewer];
}
