using System.Text.Json;
using Tuneforge.Data.Records;

namespace Tuneforge.Data.Reading;

/// <summary>Reads a file holding one JSON array of records. The whole file is checked (UTF-8, then JSON syntax)
/// while the elements are found; each element keeps the line it starts on.</summary>
internal static class JsonArrayFileReader
{
    public static IEnumerable<RawRecord> Read(DataFile file, InputSet? set = null)
    {
        var bytes = Utf8Text.ReadFile(file, out var fatal);
        if (fatal is not null)
        {
            yield return fatal;
            yield break;
        }
        var lines = new LineIndex(bytes);
        var fileName = Path.GetFileName(file.DisplayPath);
        var elements = new List<(int Start, int Length)>();
        var error = Scan(bytes.Span, elements, lines, file.DisplayPath);
        for (var i = 0; i < elements.Count; i++)
        {
            var (start, length) = elements[i];
            var location = lines.Locate(file.DisplayPath, start) with { Column = 0 };
            yield return new RawRecord(bytes.Slice(start, length), location, $"{fileName}[{i}]", IsJsonChecked: true) { Set = set };
        }
        if (error is not null) yield return error;
    }

    // Finds each element of the top-level array; stops at the first syntax error, which it returns.
    static RawRecord? Scan(ReadOnlySpan<byte> bytes, List<(int Start, int Length)> elements, LineIndex lines, string display)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false });
        try
        {
            if (!reader.Read())
                return RawRecord.Fatal(new SourceLocation(display, 1, 1), "the file is empty; a .json data file holds an array of records: [ {...}, {...} ].");
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                var found = reader.TokenType == JsonTokenType.StartObject ? "an object" : $"a {reader.TokenType.ToString().ToLowerInvariant()}";
                return RawRecord.Fatal(lines.Locate(display, (int)reader.TokenStartIndex),
                    $"expected a JSON array of records ('['), found {found}. For one record per line use the .jsonl extension or set data.format: jsonl.");
            }
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                elements.Add((start, (int)reader.BytesConsumed - start));
            }
            while (reader.Read()) { } // anything after the array is an error the reader raises
            return null;
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0) + 1;
            var lineBytes = lines.Line(bytes, line);
            var column = Utf8Text.Column(lineBytes, (int)(e.BytePositionInLine ?? 0));
            return RawRecord.Fatal(new SourceLocation(display, line, column), $"invalid JSON: {JsonErrors.Describe(e)}");
        }
    }
}
