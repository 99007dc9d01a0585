using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using MiniExcelLibs;
using nietras.SeparatedValues;
using Tuneforge.Data.Output;
using Tuneforge.Metrics.Predictions;
using Tuneforge.Metrics.Reporting;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Review;

/// <summary>What ExportReview wrote.</summary>
public sealed record ReviewExportResult(int Rows, int Lowest, int Sampled, IReadOnlyList<string> Files, string OutputDirectory)
{
    public IReadOnlyList<(string Key, string Value)> SummaryPairs() =>
        [("rows", $"{Rows} ({Lowest} lowest, {Sampled} sampled)"), ("sheet", string.Join(", ", Files))];
}

/// <summary>Writes the review sheet of Evaluate's test answers: the lowest-scoring by review.metric, then a seeded sample
/// of the rest; as CSV (UTF-8 with a byte order mark, so Excel opens Chinese intact) and .xlsx (MiniExcel, zip entry
/// times fixed so the same answers give the same bytes). The expert fills rating, corrected_answer, comment, reviewer.</summary>
internal static partial class ReviewSheetWriter
{
    public const string CsvFile = "review.csv";
    public const string XlsxFile = "review.xlsx";

    public static ReviewExportResult Write(ReviewSpec spec, string predictionsFile, string metricsFile, string outputDirectory)
    {
        var predictions = ReadPredictions(predictionsFile);
        var scores = ReadMetrics(metricsFile).Examples.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var missing = predictions.FirstOrDefault(p => !scores.ContainsKey(p.Id));
        if (missing is not null)
            throw new DataException($"{metricsFile}: has no scores for '{missing.Id}' of {predictionsFile}; run Evaluate again so both come from one run.");
        double Score(PredictionRecord p) => Metric(scores[p.Id].Tuned, spec.Metric);
        var lowest = predictions.OrderBy(Score).ThenBy(p => p.Id, StringComparer.Ordinal).Take(spec.Lowest).ToList();
        var chosen = lowest.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var sampled = predictions.Where(p => !chosen.Contains(p.Id))
            .OrderBy(p => Splitting.TrainBalancer.Order(spec.Seed, p.Id)).ThenBy(p => p.Id, StringComparer.Ordinal).Take(spec.Sample).ToList();
        var (tunedColumn, baseColumn) = ReviewColumns.Scores(spec.Metric);
        var rows = lowest.Select(p => (p, $"lowest {spec.Metric}")).Concat(sampled.Select(p => (p, "sample"))).Select(x =>
        {
            var (p, why) = x;
            var row = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                [ReviewColumns.Id] = p.Id,
                [ReviewColumns.Category] = p.Category,
                [ReviewColumns.Source] = p.Source ?? "",
                [ReviewColumns.Why] = why,
                [ReviewColumns.Question] = p.Prompt,
                [ReviewColumns.Reference] = p.Reference,
                [ReviewColumns.TunedAnswer] = p.Prediction,
                [ReviewColumns.BaseAnswer] = p.BasePrediction ?? "",
                [tunedColumn] = Math.Round(Score(p), 4),
                [baseColumn] = scores[p.Id].Base is { } b ? Math.Round(Metric(b, spec.Metric), 4) : null,
            };
            foreach (var column in ReviewColumns.ExpertColumns) row[column] = null;
            return row;
        }).ToList();

        if (rows.Count == 0)
            throw new DataException("review.lowest and review.sample are both 0, so the sheet would be empty; ask for some answers, e.g. review.lowest: 20.");
        Directory.CreateDirectory(outputDirectory);
        using var files = new AtomicFiles(outputDirectory);
        var written = new List<string>();
        if (spec.Formats.Contains(ReviewFormat.Csv))
        {
            using (var stream = files.Create(CsvFile)) WriteCsv(stream, rows);
            written.Add(CsvFile);
        }
        if (spec.Formats.Contains(ReviewFormat.Xlsx))
        {
            using (var stream = files.Create(XlsxFile)) WriteXlsx(stream, rows);
            written.Add(XlsxFile);
        }
        files.Commit();
        return new ReviewExportResult(rows.Count, lowest.Count, sampled.Count, written, outputDirectory);
    }

    static void WriteCsv(Stream stream, List<Dictionary<string, object?>> rows)
    {
        using var text = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true) { NewLine = "\r\n" };
        using var writer = Sep.Writer(o => o with { Sep = new Sep(','), Escape = true }).To(text);
        foreach (var values in rows)
        {
            using var row = writer.NewRow();
            foreach (var (column, value) in values) row[column].Set(Cell(value));
        }
    }

    static string Cell(object? value) => value switch
    {
        null => "",
        double number => number.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    static void WriteXlsx(Stream stream, List<Dictionary<string, object?>> rows)
    {
        using var sheet = new MemoryStream();
        MiniExcel.SaveAs(sheet, rows, sheetName: "review");
        sheet.Position = 0;
        // MiniExcel stamps zip entries with the current time and names relationships by random GUIDs; fixed times and
        // numbered ids make the file a function of its rows.
        using var source = new ZipArchive(sheet, ZipArchiveMode.Read);
        var entries = source.Entries.Select(e => (e.FullName, Text: ReadAll(e))).ToList();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, text) in entries)
            foreach (Match id in RandomId().Matches(text)) ids.TryAdd(id.Value, $"rIdTf{ids.Count + 1}");
        using var target = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (name, text) in entries)
        {
            var entry = target.CreateEntry(name, CompressionLevel.Optimal);
            entry.LastWriteTime = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
            using var to = entry.Open();
            to.Write(Encoding.UTF8.GetBytes(RandomId().Replace(text, m => ids[m.Value])));
        }
    }

    static string ReadAll(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open(), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"\bR[0-9a-f]{32}\b")]
    private static partial Regex RandomId();

    static double Metric(ExampleMetrics m, string metric) => metric switch
    {
        "rouge1" => m.Rouge1,
        "rouge2" => m.Rouge2,
        "rougeL" => m.RougeL,
        "rougeLsum" => m.RougeLsum,
        "bleu" => m.Bleu,
        "chrf" => m.Chrf,
        "exact_match" => m.ExactMatch,
        _ => throw new DataException($"review.metric: '{metric}' is not a per-example metric; use rouge1, rouge2, rougeL, rougeLsum, bleu, chrf or exact_match."),
    };

    static IReadOnlyList<PredictionRecord> ReadPredictions(string path)
    {
        try
        {
            return PredictionsFile.Read(path);
        }
        catch (PredictionsFormatException e)
        {
            throw new DataException($"{e.Message}. Run Evaluate first (./build.sh Evaluate).", e);
        }
    }

    static MetricsReport ReadMetrics(string path)
    {
        if (!File.Exists(path)) throw new DataException($"{path} does not exist; run Evaluate first (./build.sh Evaluate).");
        try
        {
            return MetricsReportJson.Read(path);
        }
        catch (InvalidDataException e)
        {
            throw new DataException(e.Message, e);
        }
    }
}
