using System.Text.RegularExpressions;
using Tuneforge.Data.Reading;
using Tuneforge.Data.Records;
using Tuneforge.Metrics.Human;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Data.Review;

/// <summary>data.reviews in Clean: each row of the filled sheets is matched by id to a record of data.sources (the
/// ids ExportReview wrote are those of the test records). A row with a corrected answer supersedes its record: the
/// record goes to rejects.jsonl, and the same prompt with the expert's answer becomes a record of its own (origin
/// review, source the sheet row; rating, comment and reviewer as metadata), which Split puts in train. Every row's
/// rating goes into review_ratings.json. A row whose id matches no record stops Clean at sheet:row.</summary>
internal sealed partial class ReviewImport
{
    readonly Dictionary<string, ReviewRow> rows = new(StringComparer.Ordinal);
    readonly Dictionary<string, string> categoryOf = new(StringComparer.Ordinal);
    readonly List<string> sheets;
    readonly InputSet set;

    ReviewImport(List<string> sheets, List<ReviewRow> all, InputSet set)
    {
        this.sheets = sheets;
        this.set = set;
        foreach (var row in all)
            if (!rows.TryAdd(row.Id, row))
                throw new DataException($"{row.Where}: id '{row.Id}' is on {rows[row.Id].Where} already; an answer may be reviewed on one sheet only.");
    }

    /// <summary>The import of data.reviews; null when there is none.</summary>
    public static ReviewImport? Load(DataSpec data, string rootDirectory)
    {
        if (data.Reviews.Count == 0) return null;
        var files = DataSources.Resolve(data.Reviews, rootDirectory, "data.reviews");
        var set = new InputSet("data.reviews", files, DataFormat.Jsonl, new RecordMapper(new ColumnMap(new Dictionary<string, string>()), data.DefaultCategory), RecordOrigin.Review, null);
        return new ReviewImport([.. files.Select(f => f.DisplayPath)], [.. files.SelectMany(ReviewSheetReader.Read)], set);
    }

    /// <summary>The row of a data.sources record, its question checked; null when the record was not reviewed.</summary>
    public ReviewRow? Match(CanonicalRecord record)
    {
        if (record.Origin != RecordOrigin.Data || !rows.TryGetValue(record.Id, out var row)) return null;
        var question = record.PromptMessages.LastOrDefault(m => m.Role == ChatRoles.User)?.Content ?? "";
        if (row.Question is { } asked && !Collapse(asked).Contains(Collapse(question), StringComparison.Ordinal))
            throw new DataException($"{row.Where}: the question of this row is not the one of record '{record.Id}' ({record.Source}); was the sheet sorted " +
                                    "with some columns left out, or an id edited? Export the sheet again, or fix the row.");
        categoryOf[row.Id] = record.Category;
        return row;
    }

    /// <summary>The expert's answer to a record as a record of its own, in the format Serve's feedback export writes.</summary>
    public RawRecord Correction(CanonicalRecord original, ReviewRow row)
    {
        var answer = new ReviewedAnswer(original.Id, original.Category, [.. original.PromptMessages, ChatMessage.Assistant(row.Correction!)], row.Rating, Corrected: true)
        {
            Comment = row.Comment,
            Reviewer = row.Reviewer,
            // The answer the expert replaced is the worse one of a preference pair.
            Rejected = original.Response == row.Correction ? null : original.Response,
        };
        return new RawRecord(ReviewedAnswerJson.ToUtf8(answer), row.Where, original.Id, IsJsonChecked: true) { Set = set };
    }

    /// <summary>Stops with the first row whose id no record had.</summary>
    public void CheckAllMatched()
    {
        var unmatched = rows.Values.Where(r => !categoryOf.ContainsKey(r.Id)).OrderBy(r => r.Where.File, StringComparer.Ordinal).ThenBy(r => r.Where.Line).FirstOrDefault();
        if (unmatched is not null)
            throw new DataException($"{unmatched.Where}: id '{unmatched.Id}' was never exported: no record of data.sources has it. " +
                                    "Keep the id column as ExportReview wrote it, and review sheets of this pipeline's data.");
    }

    public ExpertRatings Ratings() => ExpertRatings.Of(sheets,
        [.. rows.Values.OrderBy(r => r.Where.File, StringComparer.Ordinal).ThenBy(r => r.Where.Line)
            .Select(r => (categoryOf[r.Id], r.Rating, r.Correction is not null, r.Reviewer))]);

    static string Collapse(string text) => Whitespace().Replace(text, "");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
