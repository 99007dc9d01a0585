using System.Buffers;
using System.Text;
using System.Text.Json;
using nietras.SeparatedValues;
using Tuneforge.Data.Records;

namespace Tuneforge.Data.Reading;

/// <summary>Reads a CSV or TSV file with a header row (Sep): each data row becomes a JSON object of header -> cell, so
/// data.columns and the record shapes apply as to JSON. A record's location is the line its row starts on; a cell of
/// a messages or conversations column that holds a JSON array is read as that array.</summary>
internal static class CsvFileReader
{
    public static IEnumerable<RawRecord> Read(DataFile file, InputSet set, char separator) =>
        Read(file, separator, new CsvColumns([.. set.Mapper.Columns.ShapeFields], [set.Mapper.Columns.Messages, set.Mapper.Columns.Conversations],
            "map yours with data.columns, e.g. columns: {instruction: 问题, response: 答案}"), set);

    /// <summary>Rows as JSON objects; <paramref name="columns"/> says which header names a file must have (one of them).</summary>
    public static IEnumerable<RawRecord> Read(DataFile file, char separator, CsvColumns columns, InputSet? set)
    {
        var bytes = Utf8Text.ReadFile(file, out var fatal);
        if (fatal is not null)
        {
            yield return fatal;
            yield break;
        }
        var text = Encoding.UTF8.GetString(bytes.Span);
        if (string.IsNullOrWhiteSpace(text))
        {
            yield return RawRecord.Fatal(new SourceLocation(file.DisplayPath, 1, 1), "the file is empty; a CSV data file starts with a header row naming its columns, e.g. instruction,output.");
            yield break;
        }
        foreach (var record in ReadText(text, file, separator, columns, set)) yield return record;
    }

    static IEnumerable<RawRecord> ReadText(string text, DataFile file, char separator, CsvColumns columns, InputSet? set)
    {
        var fileName = Path.GetFileName(file.DisplayPath);
        using var reader = Sep.Reader(o => o with { Sep = new Sep(separator), Unescape = true, DisableColCountCheck = true }).FromText(text);
        var header = Header(reader.Header.ColNames, file, columns, out var fatal);
        if (fatal is not null)
        {
            yield return fatal;
            yield break;
        }
        var jsonColumns = new HashSet<string>(columns.JsonArrays, StringComparer.Ordinal);
        var buffer = new ArrayBufferWriter<byte>(1024);
        foreach (var row in reader)
        {
            var location = new SourceLocation(file.DisplayPath, row.LineNumberFrom);
            if (row.ColCount == 1 && row[0].Span.IsWhiteSpace()) continue;
            if (CountQuotes(row.Span) % 2 == 1)
            {
                yield return RawRecord.Fatal(location, "a quoted cell that starts on this row is never closed, so the rest of the file would be one cell. Close the quote, or write a quote inside a cell as \"\".");
                yield break;
            }
            if (row.ColCount != header.Length)
            {
                var separatorName = separator == '\t' ? "tab" : "comma";
                yield return RawRecord.Fatal(location, $"the row has {row.ColCount} cells but the header has {header.Length} ({string.Join(", ", header)}). " +
                                                       $"A cell that contains a {separatorName}, a quote or a line break must be quoted (\"...\").");
                yield break;
            }
            buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(buffer, RecordJson.WriterOptions))
            {
                json.WriteStartObject();
                for (var i = 0; i < header.Length; i++)
                {
                    var cell = row[i].ToString();
                    json.WritePropertyName(header[i]);
                    if (jsonColumns.Contains(header[i]) && IsJsonArray(cell)) json.WriteRawValue(cell);
                    else json.WriteStringValue(cell);
                }
                json.WriteEndObject();
            }
            yield return new RawRecord(buffer.WrittenSpan.ToArray(), location, $"{fileName}:{row.LineNumberFrom}", IsJsonChecked: true) { Set = set };
        }
    }

    static string[] Header(IReadOnlyList<string> names, DataFile file, CsvColumns columns, out RawRecord? fatal)
    {
        fatal = null;
        var header = names.Select((name, i) => name.Trim() is { Length: > 0 } trimmed ? trimmed : $"column{i + 1}").ToArray();
        var at = new SourceLocation(file.DisplayPath, 1);
        var duplicate = header.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            fatal = RawRecord.Fatal(at, $"the header names the column '{duplicate.Key}' twice; give every column its own name.");
        else if (!columns.AnyOf.Any(header.Contains))
            fatal = RawRecord.Fatal(at, $"the header ({string.Join(", ", header)}) has none of the columns a record needs " +
                                        $"({string.Join(", ", columns.AnyOf)}); {columns.Hint}.");
        return header;
    }

    static int CountQuotes(ReadOnlySpan<char> row) => row.Count('"');

    static bool IsJsonArray(string cell)
    {
        if (!cell.AsSpan().TrimStart().StartsWith("[")) return false;
        try
        {
            using var document = JsonDocument.Parse(cell);
            return document.RootElement.ValueKind == JsonValueKind.Array;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

/// <summary>What a CSV file's header must have: one of <paramref name="AnyOf"/>; cells of <paramref name="JsonArrays"/>
/// columns that hold a JSON array are read as arrays; <paramref name="Hint"/> says what to do when the header lacks them.</summary>
internal sealed record CsvColumns(IReadOnlyList<string> AnyOf, IReadOnlyList<string> JsonArrays, string Hint);
