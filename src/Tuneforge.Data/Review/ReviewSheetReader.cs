using System.Globalization;
using System.Text.Json;
using MiniExcelLibs;
using Tuneforge.Data.Reading;
using Tuneforge.Data.Records;
using Tuneforge.Metrics.Human;

namespace Tuneforge.Data.Review;

/// <summary>Reads a filled-in review sheet (.csv, .tsv or .xlsx) into rows, by column name. Rows with no id and nothing
/// filled in are skipped; anything else a row holds must make sense, or the import stops at sheet:row.</summary>
internal static class ReviewSheetReader
{
    static readonly CsvColumns Columns = new([ReviewColumns.Id], [],
        "keep the header row as ExportReview wrote it (id, question, ..., rating, corrected_answer, comment, reviewer)");

    public static List<ReviewRow> Read(DataFile file)
    {
        var cells = Path.GetExtension(file.FullPath).ToLowerInvariant() switch
        {
            ".xlsx" => ReadXlsx(file),
            ".csv" => ReadCsv(file, ','),
            ".tsv" => ReadCsv(file, '\t'),
            var other => throw new DataException($"{file.DisplayPath}: a review sheet is .xlsx or .csv (written by ExportReview), not '{other}'."),
        };
        var rows = new List<ReviewRow>();
        var firstRowOf = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (var (where, values) in cells)
        {
            string? Text(string column) => values.TryGetValue(column, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
            var id = Text(ReviewColumns.Id);
            var filled = ReviewColumns.ExpertColumns.Any(c => Text(c) is not null);
            if (id is null)
            {
                if (filled) throw new DataException($"{where}: the row has no id but the expert filled it in; put back the id ExportReview wrote, or clear the row.");
                continue;
            }
            if (!firstRowOf.TryAdd(id, where))
                throw new DataException($"{where}: id '{id}' is on {firstRowOf[id]} already; keep one row per exported answer.");
            rows.Add(new ReviewRow(where, id, Text(ReviewColumns.Question), Rating(Text(ReviewColumns.Rating), where),
                Text(ReviewColumns.CorrectedAnswer), Text(ReviewColumns.Comment), Text(ReviewColumns.Reviewer)));
        }
        return rows;
    }

    static int? Rating(string? text, SourceLocation where)
    {
        if (text is null) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value == Math.Floor(value)
            && value >= ExpertRatings.MinRating && value <= ExpertRatings.MaxRating)
            return (int)value;
        throw new DataException($"{where}: rating '{text}' is not a whole number from {ExpertRatings.MinRating} to {ExpertRatings.MaxRating}; " +
                                "write 1 (wrong) to 5 (right), or leave it empty.");
    }

    static IEnumerable<(SourceLocation, Dictionary<string, string?>)> ReadCsv(DataFile file, char separator)
    {
        foreach (var raw in CsvFileReader.Read(file, separator, Columns, set: null))
        {
            if (raw.FatalError is not null) throw new DataException($"{raw.Location}: {raw.FatalError}");
            using var document = JsonDocument.Parse(raw.Json);
            yield return (raw.Location, document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString(), StringComparer.Ordinal));
        }
    }

    static IEnumerable<(SourceLocation, Dictionary<string, string?>)> ReadXlsx(DataFile file)
    {
        List<IDictionary<string, object?>> rows;
        try
        {
            rows = [.. MiniExcel.Query(file.FullPath, useHeaderRow: true).Cast<IDictionary<string, object?>>()];
        }
        catch (Exception e) when (e is IOException or InvalidDataException or System.Xml.XmlException or NotSupportedException or InvalidOperationException)
        {
            throw new DataException($"{file.DisplayPath}: not a readable .xlsx workbook ({e.Message}); save it from Excel or WPS as .xlsx, or export the sheet as CSV UTF-8.", e);
        }
        if (rows.Count > 0 && !rows[0].ContainsKey(ReviewColumns.Id))
            throw new DataException($"{file.DisplayPath}:1: the header ({string.Join(", ", rows[0].Keys)}) has no '{ReviewColumns.Id}' column; {Columns.Hint}.");
        for (var i = 0; i < rows.Count; i++)
            // Row 1 is the header: the first data row is row 2, as Excel numbers it.
            yield return (new SourceLocation(file.DisplayPath, i + 2), rows[i].ToDictionary(kv => kv.Key, kv => Cell(kv.Value), StringComparer.Ordinal));
    }

    static string? Cell(object? value) => value switch
    {
        null => null,
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
