using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Reading;

/// <summary>The format a file is read as.</summary>
internal enum FileFormat { JsonArray, JsonLines, Csv, Tsv, Parquet }

/// <summary>Reads every file of every input set in order, each with the reader of its format.</summary>
internal static class DatasetReader
{
    public static IEnumerable<RawRecord> Read(IReadOnlyList<InputSet> sets)
    {
        foreach (var set in sets)
            foreach (var file in set.Files)
            {
                var reader = FormatOf(file, set.Format) switch
                {
                    FileFormat.JsonArray => JsonArrayFileReader.Read(file, set),
                    FileFormat.JsonLines => JsonLinesFileReader.Read(file, set),
                    FileFormat.Csv => CsvFileReader.Read(file, set, ','),
                    FileFormat.Tsv => CsvFileReader.Read(file, set, '\t'),
                    _ => ParquetFileReader.Read(file, set),
                };
                foreach (var record in reader)
                {
                    yield return record;
                    if (record.FatalError is not null) yield break;
                }
            }
    }

    /// <summary>auto: by extension (.jsonl/.ndjson, .csv, .tsv/.tab, .parquet); otherwise a file whose first character
    /// is '[' is a JSON array, any other JSON lines.</summary>
    public static FileFormat FormatOf(DataFile file, DataFormat format)
    {
        switch (format)
        {
            case DataFormat.Json: return FileFormat.JsonArray;
            case DataFormat.Jsonl: return FileFormat.JsonLines;
            case DataFormat.Csv: return FileFormat.Csv;
            case DataFormat.Tsv: return FileFormat.Tsv;
            case DataFormat.Parquet: return FileFormat.Parquet;
        }
        var extension = Path.GetExtension(file.FullPath).ToLowerInvariant();
        switch (extension)
        {
            case ".jsonl" or ".ndjson": return FileFormat.JsonLines;
            case ".csv": return FileFormat.Csv;
            case ".tsv" or ".tab": return FileFormat.Tsv;
            case ".parquet": return FileFormat.Parquet;
        }
        using var stream = File.OpenRead(file.FullPath);
        Span<byte> start = stackalloc byte[4096];
        var read = stream.Read(start);
        var text = start[..read];
        if (text.StartsWith(Utf8Text.Bom)) text = text[Utf8Text.Bom.Length..];
        text = text.TrimStart(" \t\r\n"u8);
        var isArray = text.IsEmpty ? extension == ".json" : text[0] == (byte)'[';
        return isArray ? FileFormat.JsonArray : FileFormat.JsonLines;
    }
}
