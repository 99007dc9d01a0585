using Tuneforge.Data.Output;
using Tuneforge.Data.Reading;
using Tuneforge.Data.Records;

namespace Tuneforge.Data.Splitting;

/// <summary>Writes train.jsonl, val.jsonl and test.jsonl from clean.jsonl. Val and test (and train, when it is given
/// no order) keep the lines as they are, in clean.jsonl order; a given train order is written as it is, the second and
/// later copies of a record with the id <c>id#2</c>, <c>id#3</c>… so every train line has its own id.</summary>
internal static class SplitWriter
{
    public static void Write(string cleanFile, sbyte[] partOfLine, IReadOnlyList<int>? train, AtomicFiles files)
    {
        var outputs = SplitStage.Parts.Select(p => files.Create($"{p}.jsonl")).ToArray();
        try
        {
            var kept = train is null ? null : new Dictionary<int, ReadOnlyMemory<byte>>(train.Count);
            var needed = train?.ToHashSet();
            using (var stream = File.OpenRead(cleanFile))
            {
                var index = 0;
                foreach (var line in ByteLines.Read(stream))
                {
                    if (line.IsEmpty) continue;
                    var current = index++;
                    if (needed is not null && needed.Contains(current)) kept![current] = line;
                    var part = partOfLine[current];
                    if (part < 0 || part == 0 && train is not null) continue;
                    WriteLine(outputs[part], line.Span);
                }
            }
            if (train is null) return;
            var copies = new Dictionary<int, int>();
            foreach (var line in train)
            {
                var copy = copies[line] = copies.GetValueOrDefault(line) + 1;
                if (copy == 1)
                {
                    WriteLine(outputs[0], kept![line].Span);
                    continue;
                }
                var record = RecordJson.Parse(kept![line].Span, new SourceLocation(DataStages.CleanFile, line + 1));
                WriteLine(outputs[0], RecordJson.ToUtf8(record with { Id = $"{record.Id}#{copy}" }));
            }
        }
        finally
        {
            foreach (var output in outputs) output.Dispose();
        }
    }

    static void WriteLine(Stream output, ReadOnlySpan<byte> line)
    {
        output.Write(line);
        output.WriteByte((byte)'\n');
    }
}
