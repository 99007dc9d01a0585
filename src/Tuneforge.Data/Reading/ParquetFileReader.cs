using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text.Json;
using Parquet;
using Parquet.Serialization;
using Tuneforge.Data.Records;

namespace Tuneforge.Data.Reading;

/// <summary>Reads a Parquet file (Parquet.Net), one row group at a time: each row becomes a JSON object (nested lists
/// and structs as arrays and objects, as Hugging Face stores ShareGPT's conversations), so data.columns and the record
/// shapes apply as to JSON. A record's location is its 1-based row group and row.</summary>
internal static class ParquetFileReader
{
    public static IEnumerable<RawRecord> Read(DataFile file, InputSet set)
    {
        var fileName = Path.GetFileName(file.DisplayPath);
        using var stream = File.OpenRead(file.FullPath);
        var groups = RowGroupCount(stream, file, out var fatal);
        if (fatal is not null)
        {
            yield return fatal;
            yield break;
        }
        var buffer = new ArrayBufferWriter<byte>(1024);
        var index = 0;
        for (var group = 0; group < groups; group++)
        {
            var rows = ReadRowGroup(stream, group, file, out fatal);
            if (fatal is not null)
            {
                yield return fatal;
                yield break;
            }
            for (var row = 0; row < rows!.Count; row++)
            {
                buffer.ResetWrittenCount();
                using (var json = new Utf8JsonWriter(buffer, RecordJson.WriterOptions)) WriteValue(json, rows[row]);
                var location = new SourceLocation(file.DisplayPath, row + 1) { RowGroup = group + 1 };
                yield return new RawRecord(buffer.WrittenSpan.ToArray(), location, $"{fileName}[{index++}]", IsJsonChecked: true) { Set = set };
            }
        }
    }

    static int RowGroupCount(Stream stream, DataFile file, out RawRecord? fatal)
    {
        fatal = null;
        try
        {
            var reader = ParquetReader.CreateAsync(stream, leaveStreamOpen: true).GetAwaiter().GetResult();
            var count = reader.RowGroupCount;
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return count;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            fatal = RawRecord.Fatal(new SourceLocation(file.DisplayPath, 1), $"not a readable Parquet file ({e.Message}). Write it with pandas.DataFrame.to_parquet, pyarrow or datasets.Dataset.to_parquet, or name its format in data.format.");
            return 0;
        }
    }

    static IList<Dictionary<string, object>>? ReadRowGroup(Stream stream, int group, DataFile file, out RawRecord? fatal)
    {
        fatal = null;
        try
        {
            stream.Position = 0;
            return ParquetSerializer.DeserializeUntypedAsync(stream, null, group).GetAwaiter().GetResult().Data;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            fatal = RawRecord.Fatal(new SourceLocation(file.DisplayPath, 1) { RowGroup = group + 1 }, $"the row group cannot be read ({e.Message}); the file may be truncated or corrupt.");
            return null;
        }
    }

    // Strings, numbers and booleans as JSON values; lists and structs as arrays and objects; other values as text.
    static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case string text: json.WriteStringValue(text); break;
            case bool flag: json.WriteBooleanValue(flag); break;
            case byte or sbyte or short or ushort or int or uint or long or ulong:
                json.WriteRawValue(Convert.ToString(value, CultureInfo.InvariantCulture)!); break;
            case float or double or decimal:
                var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (double.IsFinite(number)) json.WriteNumberValue(number); else json.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
                break;
            case DateTime time: json.WriteStringValue(time.ToString("O", CultureInfo.InvariantCulture)); break;
            case DateTimeOffset time: json.WriteStringValue(time.ToString("O", CultureInfo.InvariantCulture)); break;
            case byte[] blob: json.WriteBase64StringValue(blob); break;
            case IDictionary<string, object> map:
                json.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    json.WritePropertyName(key);
                    WriteValue(json, item);
                }
                json.WriteEndObject();
                break;
            case IEnumerable items:
                json.WriteStartArray();
                foreach (var item in items) WriteValue(json, item);
                json.WriteEndArray();
                break;
            default: json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }
}
