using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Data.Tests.Reading;

public class ReaderShapeTests
{
    static CleanSpec NoDedupe => new() { DedupeExact = false, NearDedupe = new NearDedupeSpec { Enabled = false }, MinChars = 0 };

    [Fact]
    public void Alpaca_records_become_user_and_assistant_messages_with_id_category_and_source()
    {
        using var w = new Workspace();
        w.WriteJsonl("d/a.jsonl", [
            new { id = "q1", category = "退款", instruction = "退款多久到账？", output = "1-3个工作日。" },
            new { id = "q2", instruction = "翻译", input = "你好", output = "Hello", system = "You translate." },
        ]);
        w.Clean(Workspace.Sources("d/a.jsonl"), NoDedupe);
        var kept = w.Kept();
        Assert.Equal(2, kept.Count);
        Assert.Equal("q1", kept[0].Id);
        Assert.Equal("退款", kept[0].Category);
        Assert.Equal([ChatMessage.User("退款多久到账？"), ChatMessage.Assistant("1-3个工作日。")], kept[0].Messages);
        Assert.Equal(new Records.SourceLocation("d/a.jsonl", 1), kept[0].Source);
        Assert.Equal([ChatMessage.System("You translate."), ChatMessage.User("翻译\n\n你好"), ChatMessage.Assistant("Hello")], kept[1].Messages);
        Assert.Equal("general", kept[1].Category);
        Assert.Equal(2, kept[1].Source.Line);
    }

    [Fact]
    public void Context_and_response_are_synonyms_of_input_and_output()
    {
        using var w = new Workspace();
        w.WriteJsonl("a.jsonl", [new { instruction = "Summarize", context = "A long text.", response = "Short." }]);
        w.Clean(Workspace.Sources("a.jsonl"), NoDedupe);
        Assert.Equal([ChatMessage.User("Summarize\n\nA long text."), ChatMessage.Assistant("Short.")], w.Kept()[0].Messages);
    }

    [Fact]
    public void Chat_records_keep_system_and_every_turn()
    {
        using var w = new Workspace();
        w.WriteJsonl("c.jsonl", [new
        {
            id = 7,
            messages = new[]
            {
                new { role = "system", content = "Be brief." }, new { role = "user", content = "Hi" },
                new { role = "assistant", content = "Hello!" }, new { role = "user", content = "Shipping?" },
                new { role = "assistant", content = "Free from 99 yuan." },
            },
        }]);
        w.Clean(Workspace.Sources("c.jsonl"), NoDedupe);
        var record = Assert.Single(w.Kept());
        Assert.Equal("7", record.Id);
        Assert.Equal(["system", "user", "assistant", "user", "assistant"], record.Messages.Select(m => m.Role));
        Assert.Equal("Free from 99 yuan.", record.Response);
    }

    [Fact]
    public void Column_mapping_reads_other_field_names_and_keeps_the_rest_as_metadata()
    {
        using var w = new Workspace();
        w.WriteJsonl("faq.jsonl", [new { qid = "f-1", question = "How long is the warranty?", answer = "One year.", topic = "after-sales", lang = "en", score = 4.5 }]);
        var data = Workspace.Sources("faq.jsonl") with
        {
            Columns = new() { ["instruction"] = "question", ["response"] = "answer", ["id"] = "qid", ["category"] = "topic" },
        };
        w.Clean(data, NoDedupe);
        var record = Assert.Single(w.Kept());
        Assert.Equal("f-1", record.Id);
        Assert.Equal("after-sales", record.Category);
        Assert.Equal([ChatMessage.User("How long is the warranty?"), ChatMessage.Assistant("One year.")], record.Messages);
        Assert.Equal(new Dictionary<string, string> { ["lang"] = "en", ["score"] = "4.5" }, record.Metadata);
    }

    [Fact]
    public void Mapped_messages_column_reads_chat_records()
    {
        using var w = new Workspace();
        w.WriteJsonl("c.jsonl", [new { conversation = new[] { new { role = "user", content = "Q" }, new { role = "assistant", content = "A!" } } }]);
        w.Clean(Workspace.Sources("c.jsonl") with { Columns = new() { ["messages"] = "conversation" } }, NoDedupe);
        Assert.Equal("A!", Assert.Single(w.Kept()).Response);
    }

    [Fact]
    public void Json_array_files_with_and_without_bom_give_element_lines_and_ids()
    {
        using var w = new Workspace();
        const string array = "[\n  {\"instruction\": \"Q1\", \"output\": \"A1\"},\n  {\n    \"instruction\": \"Q2\",\n    \"output\": \"A2\"\n  }\n]\n";
        w.Write("plain.json", array);
        w.Write("bom.json", array.Replace("Q", "R"), bom: true);
        w.Clean(Workspace.Sources("plain.json", "bom.json"), NoDedupe);
        var kept = w.Kept();
        Assert.Equal(["plain.json[0]", "plain.json[1]", "bom.json[0]", "bom.json[1]"], kept.Select(r => r.Id));
        Assert.Equal([2, 3, 2, 3], kept.Select(r => r.Source.Line));
        Assert.Equal("R1", kept[2].Messages[0].Content);
    }

    [Fact]
    public void Jsonl_with_bom_crlf_and_blank_lines_reads_every_record_with_its_line()
    {
        using var w = new Workspace();
        w.Write("a.jsonl", "{\"instruction\":\"Q1\",\"output\":\"A1\"}\r\n\r\n{\"instruction\":\"Q2\",\"output\":\"A2\"}\r\n", bom: true);
        w.Clean(Workspace.Sources("a.jsonl"), NoDedupe);
        Assert.Equal(["a.jsonl:1", "a.jsonl:3"], w.Kept().Select(r => r.Id));
    }

    [Fact]
    public void A_json_file_holding_json_lines_is_read_as_lines_in_auto_format()
    {
        using var w = new Workspace();
        w.Write("lines.json", "{\"instruction\":\"Q1\",\"output\":\"A1\"}\n{\"instruction\":\"Q2\",\"output\":\"A2\"}\n");
        w.Clean(Workspace.Sources("lines.json"), NoDedupe);
        Assert.Equal(2, w.Kept().Count);
    }

    [Fact]
    public void Globs_and_several_sources_are_read_in_order_each_file_once()
    {
        using var w = new Workspace();
        w.WriteJsonl("data/b.jsonl", [new { instruction = "B", output = "b!" }]);
        w.WriteJsonl("data/a.jsonl", [new { instruction = "A", output = "a!" }]);
        w.WriteJsonl("data/sub/c.jsonl", [new { instruction = "C", output = "c!" }]);
        w.WriteJsonl("first.jsonl", [new { instruction = "F", output = "f!" }]);
        w.Clean(Workspace.Sources("first.jsonl", "data/*.jsonl", "data/**/*.jsonl", "data/a.jsonl"), NoDedupe);
        Assert.Equal(["F", "A", "B", "C"], w.Kept().Select(r => r.Messages[0].Content));
        Assert.Equal(["first.jsonl", "data/a.jsonl", "data/b.jsonl", "data/sub/c.jsonl"], w.Kept().Select(r => r.Source.File));
    }

    [Fact]
    public void Missing_ids_and_categories_get_file_line_and_the_default_category()
    {
        using var w = new Workspace();
        w.WriteJsonl("x.jsonl", [new { instruction = "Q", output = "A", category = "" }]);
        w.Clean(Workspace.Sources("x.jsonl") with { DefaultCategory = "faq" }, NoDedupe);
        var record = Assert.Single(w.Kept());
        Assert.Equal(("x.jsonl:1", "faq"), (record.Id, record.Category));
    }

    [Fact]
    public void A_repeated_id_is_made_unique_with_its_location()
    {
        using var w = new Workspace();
        w.WriteJsonl("x.jsonl", [new { id = "1", instruction = "Q1", output = "A1" }, new { id = "1", instruction = "Q2", output = "A2" }]);
        var result = w.Clean(Workspace.Sources("x.jsonl"), NoDedupe);
        Assert.Equal(["1", "1@x.jsonl:2"], w.Kept().Select(r => r.Id));
        Assert.Equal(1, result.Stats.RenamedIds);
    }
}
