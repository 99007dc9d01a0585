using Parquet.Schema;
using Parquet.Serialization;
using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Data.Tests.Reading;

public class ParquetReaderTests
{
    static CleanSpec NoDedupe => new() { DedupeExact = false, NearDedupe = new NearDedupeSpec { Enabled = false }, MinChars = 0 };

    // Written by arrow-rs (parquet-wasm), see Fixtures/Parquet/make.mjs: 5 ShareGPT rows in row groups of 3, snappy.
    static string Fixture(string name) => RepositoryFiles.Path("tests", "Tuneforge.Data.Tests", "Fixtures", "Parquet", name);

    [Fact]
    public void ShareGPT_parquet_written_by_arrow_rs_reads_nested_conversations_across_row_groups()
    {
        using var w = new Workspace();
        File.Copy(Fixture("sharegpt-zh.parquet"), Path.Combine(w.Root, "sg.parquet"));
        w.Clean(Workspace.Sources("sg.parquet"), NoDedupe);
        var kept = w.Kept();
        Assert.Equal(["sg-1", "sg-2", "sg-3", "sg-4"], kept.Select(r => r.Id));
        Assert.Equal([ChatMessage.System("你是客服。"), ChatMessage.User("发什么快递？"), ChatMessage.Assistant("默认顺丰。")], kept[1].Messages);
        Assert.Equal(4, kept[2].Messages.Count);
        Assert.Equal(new SourceLocation("sg.parquet", 1) { RowGroup = 2 }, kept[3].Source);
        Assert.Equal("物流", kept[2].Category);
        var reject = Assert.Single(w.Rejects());
        Assert.Equal("unknown_role", reject.GetProperty("reason").GetString());
        Assert.Equal("sg.parquet", reject.GetProperty("source").GetProperty("file").GetString());
        Assert.Equal(2, reject.GetProperty("source").GetProperty("row_group").GetInt32());
        Assert.Equal(2, reject.GetProperty("source").GetProperty("line").GetInt32());

        var e = Assert.Throws<DataException>(() => w.Clean(Workspace.Sources("sg.parquet") with { OnInvalidRecord = InvalidRecordPolicy.Fail }, NoDedupe));
        Assert.StartsWith("sg.parquet:row group 2:row 2: unusable record (unknown_role): conversations[1].from is 'robot'", e.Message);
    }

    [Fact]
    public async Task Alpaca_parquet_written_by_parquet_net_with_a_column_map_reads_every_row()
    {
        using var w = new Workspace();
        var schema = new ParquetSchema(new DataField<string>("question"), new DataField<string>("answer"), new DataField<int?>("stars"));
        var rows = Enumerable.Range(0, 7).Select(i => (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["question"] = $"问题{i}", ["answer"] = $"回答{i}", ["stars"] = i % 2 == 0 ? i : null,
        }).ToList();
        await using (var stream = File.Create(Path.Combine(w.Root, "faq.parquet")))
            await ParquetSerializer.SerializeUntypedAsync(rows, schema, stream);
        w.Clean(Workspace.Sources("faq.parquet") with { Columns = new() { ["instruction"] = "question", ["response"] = "answer" } }, NoDedupe);
        var kept = w.Kept();
        Assert.Equal(7, kept.Count);
        Assert.Equal([ChatMessage.User("问题6"), ChatMessage.Assistant("回答6")], kept[6].Messages);
        Assert.Equal(new Dictionary<string, string> { ["stars"] = "6" }, kept[6].Metadata);
        Assert.Empty(kept[1].Metadata);
        Assert.Equal("faq.parquet[6]", kept[6].Id);
    }

    [Fact]
    public void A_file_that_is_not_parquet_stops_with_what_writes_one()
    {
        using var w = new Workspace();
        w.Write("broken.parquet", "instruction,output\nq,a\n");
        var e = Assert.Throws<DataException>(() => w.Clean(Workspace.Sources("broken.parquet"), NoDedupe));
        Assert.StartsWith("broken.parquet:1: not a readable Parquet file (", e.Message);
        Assert.Contains("pandas.DataFrame.to_parquet", e.Message);
    }
}
