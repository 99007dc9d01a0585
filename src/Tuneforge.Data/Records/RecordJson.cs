using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tuneforge.Text;

namespace Tuneforge.Data.Records;

/// <summary>The JSON-lines form of a <see cref="CanonicalRecord"/> (clean.jsonl, train/val/test.jsonl):
/// <c>{"id","category","messages":[{"role","content","reasoning"?}],"rejected"?,"label"?,"metadata"?,"origin"?,"dataset"?,"source":{"file","line","row_group"?},"group"?}</c>
/// (a pair's chosen answer is the last message),
/// Chinese written as is (not \u-escaped), one record per line.</summary>
public static class RecordJson
{
    /// <summary>Writer settings of every JSON file the data stages produce.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };

    public static void Write(Utf8JsonWriter writer, CanonicalRecord record)
    {
        writer.WriteStartObject();
        writer.WriteString("id", record.Id);
        writer.WriteString("category", record.Category);
        WriteMessages(writer, record.Messages, "reasoning");
        if (record.Rejected is not null) writer.WriteString("rejected", record.Rejected);
        if (record.Label is { } label) writer.WriteBoolean("label", label);
        if (record.Metadata.Count > 0)
        {
            writer.WriteStartObject("metadata");
            foreach (var (key, value) in record.Metadata) writer.WriteString(key, value);
            writer.WriteEndObject();
        }
        if (record.Origin != RecordOrigin.Data) writer.WriteString("origin", OriginName(record.Origin));
        if (record.Dataset is not null) writer.WriteString("dataset", record.Dataset);
        WriteSource(writer, "source", record.Source);
        // The group is always the last property: Clean adds it to lines it has written already (see CleanOutputs).
        if (record.Group is not null) writer.WriteString("group", record.Group);
        writer.WriteEndObject();
    }

    /// <summary>A <c>messages</c> array of {role, content} objects; a message's reasoning under <paramref name="reasoningName"/>.</summary>
    public static void WriteMessages(Utf8JsonWriter writer, IEnumerable<ChatMessage> messages, string reasoningName)
    {
        writer.WriteStartArray("messages");
        foreach (var message in messages)
        {
            writer.WriteStartObject();
            writer.WriteString("role", message.Role);
            writer.WriteString("content", message.Content);
            if (message.Reasoning is not null) writer.WriteString(reasoningName, message.Reasoning);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    public static void WriteSource(Utf8JsonWriter writer, string name, SourceLocation source)
    {
        writer.WriteStartObject(name);
        writer.WriteString("file", source.File);
        writer.WriteNumber("line", source.Line);
        if (source.RowGroup is { } group) writer.WriteNumber("row_group", group);
        writer.WriteEndObject();
    }

    static string OriginName(RecordOrigin origin) => origin.ToString().ToLowerInvariant();

    static RecordOrigin ParseOrigin(string name) =>
        Enum.TryParse<RecordOrigin>(name, ignoreCase: true, out var origin) ? origin : throw new InvalidOperationException($"unknown origin '{name}'");

    /// <summary>One record as UTF-8 JSON without a line break.</summary>
    public static byte[] ToUtf8(CanonicalRecord record)
    {
        // Called for every record from several threads: each keeps its own buffer and writer.
        var buffer = threadBuffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = threadWriter ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        Write(writer, record);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    [ThreadStatic] static ArrayBufferWriter<byte>? threadBuffer;
    [ThreadStatic] static Utf8JsonWriter? threadWriter;

    /// <summary>Reads one line written by <see cref="Write"/>; <paramref name="where"/> names it in errors.</summary>
    public static CanonicalRecord Parse(ReadOnlySpan<byte> line, SourceLocation where)
    {
        try
        {
            using var document = JsonDocument.Parse(line.ToArray());
            return FromElement(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new DataException($"{where}: not a record written by Clean ({e.Message.Split(" LineNumber:")[0]}). Run ./build.sh Clean again, or give a clean.jsonl from this version.", e);
        }
    }

    public static CanonicalRecord FromElement(JsonElement root)
    {
        var messages = root.GetProperty("messages").EnumerateArray()
            .Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!,
                m.TryGetProperty("reasoning", out var reasoning) ? reasoning.GetString() : null))
            .ToList();
        var source = root.GetProperty("source");
        var metadata = root.TryGetProperty("metadata", out var meta)
            ? meta.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : CanonicalRecord.EmptyMetadata;
        return new CanonicalRecord(
            root.GetProperty("id").GetString()!,
            messages,
            root.GetProperty("category").GetString()!,
            new SourceLocation(source.GetProperty("file").GetString()!, source.GetProperty("line").GetInt32())
            {
                RowGroup = source.TryGetProperty("row_group", out var rowGroup) ? rowGroup.GetInt32() : null,
            })
        {
            Origin = root.TryGetProperty("origin", out var origin) ? ParseOrigin(origin.GetString()!) : RecordOrigin.Data,
            Dataset = root.TryGetProperty("dataset", out var dataset) ? dataset.GetString() : null,
            Metadata = metadata,
            Group = root.TryGetProperty("group", out var group) ? group.GetString() : null,
            Rejected = root.TryGetProperty("rejected", out var rejected) ? rejected.GetString() : null,
            Label = root.TryGetProperty("label", out var label) ? label.GetBoolean() : null,
        };
    }

    /// <summary>Reads a whole JSON-lines file of records (train.jsonl and the like).</summary>
    public static IEnumerable<CanonicalRecord> ReadFile(string path)
    {
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            yield return Parse(System.Text.Encoding.UTF8.GetBytes(line), new SourceLocation(path, lineNumber));
        }
    }
}
