using System.Text.Json;
using Tuneforge.Data.Records;

namespace Tuneforge.Data.Reading;

/// <summary>Reads a JSON-lines file: one record per non-blank line, streamed, checking UTF-8 line by line.
/// JSON syntax is checked where the line is parsed (in parallel), and reported in input order.</summary>
internal static class JsonLinesFileReader
{
    public static IEnumerable<RawRecord> Read(DataFile file, InputSet? set = null)
    {
        using var stream = new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var fileName = Path.GetFileName(file.DisplayPath);
        var lineNumber = 0;
        foreach (var read in ByteLines.Read(stream))
        {
            var line = read;
            lineNumber++;
            var bytes = line.Span;
            if (lineNumber == 1)
            {
                if (Utf8Text.WrongEncoding(bytes) is { } wrong)
                {
                    yield return RawRecord.Fatal(new SourceLocation(file.DisplayPath, 1, 1), wrong);
                    yield break;
                }
                if (bytes.StartsWith(Utf8Text.Bom))
                {
                    line = line[Utf8Text.Bom.Length..];
                    bytes = line.Span;
                }
            }
            var invalid = Utf8Text.FindInvalid(bytes);
            if (invalid >= 0)
            {
                yield return RawRecord.Fatal(new SourceLocation(file.DisplayPath, lineNumber, Utf8Text.Column(bytes, invalid)), Utf8Text.InvalidMessage(bytes, invalid));
                yield break;
            }
            if (IsBlank(bytes)) continue;
            yield return new RawRecord(line, new SourceLocation(file.DisplayPath, lineNumber), $"{fileName}:{lineNumber}", IsJsonChecked: false) { Set = set };
        }
    }

    /// <summary>The message for a JSONL line that does not parse.</summary>
    public static string ParseError(JsonException e, ReadOnlySpan<byte> line, SourceLocation where, out SourceLocation at)
    {
        var column = Utf8Text.Column(line, (int)(e.BytePositionInLine ?? 0));
        at = where with { Column = column };
        var hint = line.TrimStart(" \t"u8) is [(byte)'[', ..] && where.Line == 1
            ? " This looks like a JSON array: give the file a .json extension or set data.format: json."
            : " Each line of a JSONL file must be one complete JSON object.";
        return $"invalid JSON: {JsonErrors.Describe(e)}{hint}";
    }

    static bool IsBlank(ReadOnlySpan<byte> bytes) => bytes.TrimStart(" \t\r"u8).IsEmpty;
}

/// <summary>Splits a stream into lines of bytes (without \n or a trailing \r), each in its own array.</summary>
internal static class ByteLines
{
    public static IEnumerable<ReadOnlyMemory<byte>> Read(Stream stream)
    {
        var buffer = new byte[1 << 20];
        var start = 0;
        var end = 0;
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                yield return Copy(buffer.AsSpan(start, newline));
                start += newline + 1;
                continue;
            }
            // No full line in the buffer: keep the partial line, read more.
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            var read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                if (end > start) yield return Copy(buffer.AsSpan(start, end - start));
                yield break;
            }
            end += read;
        }
    }

    static ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> line) =>
        (line is [.., (byte)'\r'] ? line[..^1] : line).ToArray();
}
