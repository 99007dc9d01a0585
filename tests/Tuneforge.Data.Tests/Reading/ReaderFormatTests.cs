using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Tests.Reading;

public class ReaderFormatTests
{
    [Fact]
    public void Data_format_jsonl_reads_a_json_extension_as_lines_and_json_reads_any_extension_as_an_array()
    {
        using var w = new Workspace();
        w.Write("lines.json", "[1]\n");
        w.Write("array.txt", "[{\"instruction\":\"Q\",\"output\":\"A\"}]");
        var lines = w.Clean(Workspace.Sources("lines.json") with { Format = DataFormat.Jsonl });
        Assert.Equal(Records.RejectReason.NotAnObject, Assert.Single(lines.Stats.RejectedByReason).Reason);
        var array = w.Clean(Workspace.Sources("array.txt") with { Format = DataFormat.Json });
        Assert.Equal(1, array.Stats.Kept);
    }

    [Fact]
    public void Files_outside_the_root_are_shown_with_their_full_path()
    {
        using var outside = new Workspace();
        var file = outside.WriteJsonl("o.jsonl", [new { instruction = "Q", output = "A" }]);
        using var w = new Workspace();
        w.Clean(Workspace.Sources(file));
        Assert.Equal(file, Assert.Single(w.Kept()).Source.File);
    }

    [Fact]
    public void An_empty_jsonl_file_gives_an_empty_clean_set_and_split_says_what_it_needs()
    {
        using var w = new Workspace();
        w.Write("empty.jsonl", "\n\n");
        var result = w.Clean(Workspace.Sources("empty.jsonl"));
        Assert.Equal((0, 0, 0), (result.Stats.Input, result.Stats.Kept, result.Stats.Rejected));
        Assert.Contains("0 of 0 records kept", w.ReadOutput("summary.md"));
        var e = Assert.Throws<DataException>(() => DataStages.Split(new SplitSpec(), Path.Combine(w.Output, "clean.jsonl"), Path.Combine(w.Root, "split")));
        Assert.StartsWith("split: 0 records are too few", e.Message);
    }
}
