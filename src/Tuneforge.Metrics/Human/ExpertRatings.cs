using System.Text.Json.Serialization;

namespace Tuneforge.Metrics.Human;

/// <summary>What experts said about the answers on imported review sheets: ratings (1–5) overall and per category, and
/// how many answers they corrected. Clean writes it (review_ratings.json) when data.reviews is set; reports show it.</summary>
public sealed record ExpertRatings(
    [property: JsonPropertyName("sheets")] IReadOnlyList<string> Sheets,
    [property: JsonPropertyName("rows")] int Rows,
    [property: JsonPropertyName("rated")] int Rated,
    [property: JsonPropertyName("corrected")] int Corrected,
    [property: JsonPropertyName("mean_rating")] double? MeanRating,
    [property: JsonPropertyName("by_rating")] IReadOnlyDictionary<string, int> ByRating,
    [property: JsonPropertyName("by_category")] IReadOnlyList<CategoryRatings> ByCategory,
    [property: JsonPropertyName("reviewers")] IReadOnlyList<string> Reviewers)
{
    /// <summary>The lowest and highest rating an expert may give.</summary>
    public const int MinRating = 1, MaxRating = 5;

    /// <summary>Summarizes rated rows: (category, rating or null, corrected, reviewer or null) per row.</summary>
    public static ExpertRatings Of(IReadOnlyList<string> sheets, IReadOnlyList<(string Category, int? Rating, bool Corrected, string? Reviewer)> rows)
    {
        static double? Mean(IEnumerable<int?> ratings) => ratings.OfType<int>().Select(r => (double?)r).DefaultIfEmpty(null).Average();
        var byRating = Enumerable.Range(MinRating, MaxRating - MinRating + 1)
            .ToDictionary(r => r.ToString(System.Globalization.CultureInfo.InvariantCulture), r => rows.Count(x => x.Rating == r));
        var byCategory = rows.GroupBy(r => r.Category, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CategoryRatings(g.Key, g.Count(r => r.Rating is not null), Mean(g.Select(r => r.Rating)), g.Count(r => r.Corrected)))
            .ToList();
        return new ExpertRatings(sheets, rows.Count, rows.Count(r => r.Rating is not null), rows.Count(r => r.Corrected), Mean(rows.Select(r => r.Rating)),
            byRating, byCategory, [.. rows.Select(r => r.Reviewer).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
    }
}

/// <summary>Ratings of one category's answers.</summary>
public sealed record CategoryRatings(
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("rated")] int Rated,
    [property: JsonPropertyName("mean_rating")] double? MeanRating,
    [property: JsonPropertyName("corrected")] int Corrected);
