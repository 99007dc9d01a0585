using System.Buffers;
using System.Text;
using System.Text.Json;
using Tuneforge.Data.Output;
using Tuneforge.Data.Records;

namespace Tuneforge.Data.Cleaning;

/// <summary>Clean's output files. Kept and rejected lines go to temporary files as they are decided; at the end the
/// kept lines are finished (conflict groups added, records dropped late moved to the rejects) and every file is
/// renamed into place, so a failed run leaves no half-written output.</summary>
internal sealed class CleanOutputs : IDisposable
{
    public const string CleanFile = DataStages.CleanFile;
    public const string RejectsFile = "rejects.jsonl";
    public const string ConflictsFile = "conflicts.jsonl";
    public const string StatsFile = "stats.json";
    public const string SummaryFile = "summary.md";

    readonly AtomicFiles files;
    readonly Stream kept;
    readonly Stream rejects;
    readonly ArrayBufferWriter<byte> buffer = new(1024);
    readonly Utf8JsonWriter writer;

    public CleanOutputs(string directory)
    {

        Directory.CreateDirectory(directory);
        files = new AtomicFiles(directory);
        kept = files.Create(CleanFile);
        rejects = files.Create(RejectsFile);
        writer = new Utf8JsonWriter(buffer, RecordJson.WriterOptions);
    }

    public void WriteKept(ReadOnlySpan<byte> json)
    {
        kept.Write(json);
        kept.WriteByte((byte)'\n');
    }

    public void WriteReject(RejectEntry entry)
    {
        buffer.ResetWrittenCount();
        writer.Reset();
        writer.WriteStartObject();
        writer.WriteString("reason", entry.Reason);
        writer.WriteString("detail", entry.Detail);
        if (entry.DuplicateOf is not null) writer.WriteString("duplicate_of", entry.DuplicateOf);
        if (entry.Similarity is { } similarity) writer.WriteNumber("similarity", similarity);
        RecordJson.WriteSource(writer, "source", entry.Source);
        writer.WritePropertyName("record");
        writer.WriteRawValue(entry.Record.Span, skipInputValidation: true);
        writer.WriteEndObject();
        writer.Flush();
        rejects.Write(buffer.WrittenSpan);
        rejects.WriteByte((byte)'\n');
    }

    /// <summary>Writes clean.jsonl from the kept lines, applying the conflict book, and conflicts.jsonl.</summary>
    public void FinishKept(CleanDecider decider)
    {
        var book = decider.Conflicts;
        kept.Dispose();
        if (book.ByKeptItem.Count > 0 || decider.PromptGroups.Count > 0) Rewrite(decider, book);
        WriteConflicts(book);
    }

    // Adds groups to the kept lines that share a prompt, and moves those dropped late (on_conflict: drop) to the rejects.
    void Rewrite(CleanDecider decider, ConflictBook book)
    {
        const string keptName = CleanFile + ".kept";
        files.Rename(CleanFile, keptName);
        using (var input = new FileStream(files.PathOf(keptName), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
        using (var output = files.Create(CleanFile))
        {
            var item = 0;
            foreach (var line in Reading.ByteLines.Read(input))
            {
                if (line.Length == 0) continue;
                var current = item++;
                var inConflict = book.ByKeptItem.TryGetValue(current, out var group);
                var grouped = decider.PromptGroups.TryGetValue(current, out var first);
                if (!inConflict && !grouped)
                {
                    output.Write(line.Span);
                    output.WriteByte((byte)'\n');
                    continue;
                }
                var record = RecordJson.Parse(line.Span, new SourceLocation(CleanFile, current + 1));
                var dropped = book.DroppedItems.Contains(current);
                if (inConflict && current == group!.FirstItem) group.First = new ConflictMember(record.Id, record.Response, record.Source, !dropped);
                if (dropped)
                {
                    decider.CountLateReject(current, record.Source);
                    WriteReject(new RejectEntry(RejectReason.ConflictingAnswer,
                        $"other records have the same prompt and different answers ({string.Join(", ", group!.Others.Select(o => $"'{o.Id}'"))}); clean.on_conflict is drop: every record of the group is rejected.",
                        record.Source, line));
                    continue;
                }
                // Records with the same prompt carry the first one's id as their group; Split keeps a group in one part.
                output.Write(RecordJson.ToUtf8(grouped ? record with { Group = decider.KeptId(first) } : record));
                output.WriteByte((byte)'\n');
            }
        }
        files.Discard(keptName);
    }

    void WriteConflicts(ConflictBook book)
    {
        using var stream = files.Create(ConflictsFile);
        using var json = new Utf8JsonWriter(stream, RecordJson.WriterOptions);
        foreach (var group in book.Groups)
        {
            json.Reset();
            json.WriteStartObject();
            json.WriteString("prompt", group.Prompt);
            json.WriteStartArray("records");
            foreach (var member in group.Members)
            {
                json.WriteStartObject();
                json.WriteString("id", member.Id);
                json.WriteString("answer", member.Answer);
                json.WriteBoolean("kept", member.Kept);
                RecordJson.WriteSource(json, "source", member.Source);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.Flush();
            stream.WriteByte((byte)'\n');
        }
    }

    public void WriteText(string name, string text) => files.WriteText(name, text);

    public Stream Create(string name) => files.Create(name);

    /// <summary>Moves every finished file into place.</summary>
    public void Commit()
    {
        rejects.Dispose();
        files.Commit();
    }

    public void Dispose()
    {
        writer.Dispose();
        kept.Dispose();
        rejects.Dispose();
        files.Dispose();
    }

}
