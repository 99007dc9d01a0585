using Tuneforge.Stages.Distributed;

namespace Tuneforge.Stages.Tests.Distributed;

public class EventsFileTailTests
{
    [Fact]
    public async Task The_tail_delivers_each_line_appended_after_it_started_once_and_whole()
    {
        using var scratch = new Scratch();
        var path = scratch.Write("events.jsonl", "{\"event\":\"log\",\"message\":\"an earlier attempt\"}\n");
        var lines = new List<string>();
        await using (new EventsFileTail(path, line => { lock (lines) lines.Add(line); }))
        {
            await using var writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
            await writer.WriteAsync("{\"event\":\"step\",");
            await Task.Delay(600);   // the tail polls in between: half a line must wait for its end
            await writer.WriteAsync("\"step\":1}\n{\"event\":\"log\",\"message\":\"发货\"}\n");
            await Task.Delay(600);
            await writer.WriteAsync("{\"event\":\"result\"}\n");
        }
        Assert.Equal(["{\"event\":\"step\",\"step\":1}", "{\"event\":\"log\",\"message\":\"发货\"}", "{\"event\":\"result\"}"], lines);
    }

    [Fact]
    public async Task A_file_that_appears_later_is_read_from_its_start()
    {
        using var scratch = new Scratch();
        var path = scratch.File("events.jsonl");
        var lines = new List<string>();
        await using (new EventsFileTail(path, lines.Add))
            await File.WriteAllTextAsync(path, "a\nb\n");
        Assert.Equal(["a", "b"], lines);
    }
}
