using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Data.Tests.Reading;

public class CsvReaderTests
{
    static CleanSpec NoDedupe => new() { DedupeExact = false, NearDedupe = new NearDedupeSpec { Enabled = false }, MinChars = 0 };

    static DataSpec Faq(params string[] sources) => Workspace.Sources(sources) with
    {
        Columns = new() { ["instruction"] = "问题", ["response"] = "答案", ["category"] = "类别" },
    };

    [Fact]
    public void Csv_rows_map_through_the_column_map_keep_other_columns_as_metadata_and_locate_rows_by_line()
    {
        using var w = new Workspace();
        // As Excel saves "CSV UTF-8": a byte order mark, CRLF, a quoted cell with a line break and doubled quotes.
        w.Write("faq.csv", "问题,答案,类别,来源\r\n退款多久到账？,1-3个工作日。,退款,客服\r\n\"能改地址吗？\n发货后呢？\",\"发货前可以，发货后请联系\"\"快递\"\"。\",物流,\r\n", bom: true);
        w.Clean(Faq("faq.csv"), NoDedupe);
        var kept = w.Kept();
        Assert.Equal(2, kept.Count);
        Assert.Equal([ChatMessage.User("退款多久到账？"), ChatMessage.Assistant("1-3个工作日。")], kept[0].Messages);
        Assert.Equal("退款", kept[0].Category);
        Assert.Equal(new Dictionary<string, string> { ["来源"] = "客服" }, kept[0].Metadata);
        Assert.Equal("faq.csv:2", kept[0].Id);
        Assert.Equal(new Records.SourceLocation("faq.csv", 3), kept[1].Source);
        Assert.Equal("能改地址吗？\n发货后呢？", kept[1].Messages[0].Content);
        Assert.Equal("发货前可以，发货后请联系\"快递\"。", kept[1].Response);
    }

    [Fact]
    public void Tsv_reads_tabs_and_a_messages_column_may_hold_a_json_array()
    {
        using var w = new Workspace();
        w.Write("chat.tsv", "id\tmessages\nt1\t[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello\"}]\nt2\t\n");
        w.Clean(Workspace.Sources("chat.tsv"), NoDedupe);
        var record = Assert.Single(w.Kept());
        Assert.Equal([ChatMessage.User("Hi"), ChatMessage.Assistant("Hello")], record.Messages);
        Assert.Equal("wrong_type", Assert.Single(w.Rejects()).GetProperty("reason").GetString());
    }

    [Fact]
    public void An_empty_answer_cell_is_rejected_as_an_empty_answer()
    {
        using var w = new Workspace();
        w.Write("faq.csv", "问题,答案,类别\n有发票吗？,,发票\n");
        w.Clean(Faq("faq.csv"), NoDedupe);
        Assert.Equal("empty_response", Assert.Single(w.Rejects()).GetProperty("reason").GetString());
    }

    [Fact]
    public void A_row_with_more_cells_than_the_header_stops_with_file_line_and_the_quoting_rule()
    {
        using var w = new Workspace();
        w.Write("faq.csv", "问题,答案,类别\n退款？,原路退回,退款\n运费多少,满99包邮,不满收10元,物流\n");
        var e = Assert.Throws<DataException>(() => w.Clean(Faq("faq.csv"), NoDedupe));
        Assert.Equal("faq.csv:3: the row has 4 cells but the header has 3 (问题, 答案, 类别). A cell that contains a comma, a quote or a line break must be quoted (\"...\").", e.Message);
        Assert.False(File.Exists(Path.Combine(w.Output, "clean.jsonl")));
    }

    [Fact]
    public void An_unclosed_quote_stops_at_the_row_it_opens_on()
    {
        using var w = new Workspace();
        w.Write("faq.csv", "问题,答案,类别\n退款？,原路退回,退款\n\"运费多少,满99包邮,物流\n发票？,订单页,发票\n");
        var e = Assert.Throws<DataException>(() => w.Clean(Faq("faq.csv"), NoDedupe));
        Assert.StartsWith("faq.csv:3: a quoted cell that starts on this row is never closed", e.Message);
    }

    [Fact]
    public void A_header_without_any_record_column_names_the_columns_and_the_mapping_to_write()
    {
        using var w = new Workspace();
        w.Write("faq.csv", "问题,答案\n退款？,原路退回\n");
        var e = Assert.Throws<DataException>(() => w.Clean(Workspace.Sources("faq.csv"), NoDedupe));
        Assert.Equal("faq.csv:1: the header (问题, 答案) has none of the columns a record needs (messages, conversations, instruction, prompt, chosen); map yours with data.columns, e.g. columns: {instruction: 问题, response: 答案}.", e.Message);
    }

    [Fact]
    public void A_gbk_encoded_csv_is_located_and_the_conversion_named()
    {
        using var w = new Workspace();
        var gbk = new byte[] { 0xC4, 0xE3, 0xBA, 0xC3 }; // 你好 in GBK
        w.WriteBytes("faq.csv", [.. "instruction,output\nhi,"u8.ToArray(), .. gbk, (byte)'\n']);
        var e = Assert.Throws<DataException>(() => w.Clean(Workspace.Sources("faq.csv"), NoDedupe));
        Assert.StartsWith("faq.csv:2:4: not valid UTF-8 (byte 0xC4).", e.Message);
        Assert.Contains("iconv -f GBK -t UTF-8", e.Message);
    }
}
