using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Reading;

/// <summary>Reads every file of data.sources in order, each as a JSON array or as JSON lines.</summary>
internal static class DatasetReader
{
    public static IEnumerable<RawRecord> Read(IReadOnlyList<DataFile> files, DataFormat format)
    {
        foreach (var file in files)
        {
            var reader = IsArray(file, format) ? JsonArrayFileReader.Read(file) : JsonLinesFileReader.Read(file);
            foreach (var record in reader)
            {
                yield return record;
                if (record.FatalError is not null) yield break;
            }
        }
    }

    /// <summary>auto: .jsonl/.ndjson are JSON lines; otherwise a file whose first character is '[' is an array.</summary>
    public static bool IsArray(DataFile file, DataFormat format)
    {
        if (format != DataFormat.Auto) return format == DataFormat.Json;
        var extension = Path.GetExtension(file.FullPath).ToLowerInvariant();
        if (extension is ".jsonl" or ".ndjson") return false;
        using var stream = File.OpenRead(file.FullPath);
        Span<byte> start = stackalloc byte[4096];
        var read = stream.Read(start);
        var text = start[..read];
        if (text.StartsWith(Utf8Text.Bom)) text = text[Utf8Text.Bom.Length..];
        text = text.TrimStart(" \t\r\n"u8);
        return text.IsEmpty ? extension == ".json" : text[0] == (byte)'[';
    }
}
