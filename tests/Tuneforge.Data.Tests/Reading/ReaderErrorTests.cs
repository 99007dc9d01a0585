using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Tests.Reading;

public class ReaderErrorTests
{
    static DataException CleanFails(Workspace w, DataSpec data) => Assert.Throws<DataException>(() => w.Clean(data));

    [Fact]
    public void Invalid_jsonl_stops_with_file_line_column_and_what_was_expected()
    {
        using var w = new Workspace();
        w.Write("d.jsonl", "{\"instruction\":\"Q\",\"output\":\"A\"}\n{\"instruction\":\"运费\" \"output\":\"A\"}\n");
        var e = CleanFails(w, Workspace.Sources("d.jsonl"));
        Assert.Equal("d.jsonl:2:21: invalid JSON: '\"' is invalid after a value. Expected either ',', '}', or ']'. " +
                     "Each line of a JSONL file must be one complete JSON object.", e.Message);
        Assert.False(File.Exists(Path.Combine(w.Output, "clean.jsonl")), "nothing is published when the stage fails");
    }

    [Fact]
    public void A_json_array_in_a_jsonl_file_gets_a_hint()
    {
        using var w = new Workspace();
        w.Write("d.jsonl", "[\n{\"instruction\":\"Q\",\"output\":\"A\"}\n]\n");
        var e = CleanFails(w, Workspace.Sources("d.jsonl"));
        Assert.StartsWith("d.jsonl:1:2: invalid JSON: ", e.Message);
        Assert.EndsWith("This looks like a JSON array: give the file a .json extension or set data.format: json.", e.Message);
    }

    [Fact]
    public void Invalid_json_array_stops_with_the_line_and_column_in_the_file()
    {
        using var w = new Workspace();
        w.Write("d.json", "[\n  {\"instruction\": \"Q1\", \"output\": \"A1\"},\n  {\"instruction\": \"Q2\", \"output\": \"A2\",}\n]");
        var e = CleanFails(w, Workspace.Sources("d.json"));
        Assert.Equal("d.json:3:40: invalid JSON: The JSON object contains a trailing comma at the end which is not supported in this mode. Change the reader options.", e.Message);
    }

    [Fact]
    public void Records_before_a_json_error_do_not_hide_it_and_the_error_comes_in_input_order()
    {
        using var w = new Workspace();
        var lines = Enumerable.Range(0, 5000).Select(i => $"{{\"instruction\":\"Q{i}\",\"output\":\"A{i}\"}}").ToList();
        lines[4500] = "{\"instruction\": }";
        lines[4700] = "not json";
        w.Write("big.jsonl", string.Join("\n", lines));
        var e = CleanFails(w, Workspace.Sources("big.jsonl"));
        Assert.StartsWith("big.jsonl:4501:17: invalid JSON: ", e.Message);
    }

    [Fact]
    public void A_top_level_object_in_a_json_file_is_an_error_that_names_the_fix()
    {
        using var w = new Workspace();
        w.Write("d.json", "{\"data\": []}");
        var e = CleanFails(w, Workspace.Sources("d.json") with { Format = DataFormat.Json });
        Assert.Equal("d.json:1:1: expected a JSON array of records ('['), found an object. For one record per line use the .jsonl extension or set data.format: jsonl.", e.Message);
    }

    [Fact]
    public void Invalid_utf8_stops_with_the_character_column()
    {
        using var w = new Workspace();
        // "运费" then a GBK-encoded byte pair (0xD4 0xCB is 运 in GBK) inside the second line.
        var good = "{\"instruction\":\"Q\",\"output\":\"A\"}\n"u8.ToArray();
        var bad = "{\"instruction\":\"运费"u8.ToArray().Concat(new byte[] { 0xD4, 0xCB }).Concat("\",\"output\":\"A\"}\n"u8.ToArray()).ToArray();
        w.WriteBytes("gbk.jsonl", [.. good, .. bad]);
        var e = CleanFails(w, Workspace.Sources("gbk.jsonl"));
        Assert.Equal("gbk.jsonl:2:19: not valid UTF-8 (byte 0xD4). Data files must be UTF-8; convert this one first, e.g. iconv -f GBK -t UTF-8 (for Chinese text saved as GBK).", e.Message);
    }

    [Fact]
    public void Invalid_utf8_in_a_json_array_names_line_and_column()
    {
        using var w = new Workspace();
        w.WriteBytes("d.json", [.. "[\n {\"instruction\": \"é"u8.ToArray(), 0xE9, .. "\", \"output\": \"x\"}\n]"u8.ToArray()]);
        var e = CleanFails(w, Workspace.Sources("d.json"));
        Assert.StartsWith("d.json:2:20: not valid UTF-8 (byte 0xE9).", e.Message);
    }

    [Fact]
    public void Utf16_files_are_refused_with_how_to_fix()
    {
        using var w = new Workspace();
        w.WriteBytes("u16.jsonl", [0xFF, 0xFE, .. System.Text.Encoding.Unicode.GetBytes("{\"instruction\":\"Q\",\"output\":\"A\"}")]);
        var e = CleanFails(w, Workspace.Sources("u16.jsonl"));
        Assert.Equal("u16.jsonl:1:1: the file is UTF-16 (it starts with a UTF-16 byte order mark). Save it as UTF-8.", e.Message);
    }

    [Fact]
    public void A_missing_source_is_an_error_naming_it()
    {
        using var w = new Workspace();
        var e = CleanFails(w, Workspace.Sources("data/none.jsonl"));
        Assert.Equal($"data.sources[0]: 'data/none.jsonl' does not exist (looked for {Path.Combine(w.Root, "data", "none.jsonl")}). Check the path; it is relative to the repository root.", e.Message);
    }

    [Fact]
    public void A_glob_matching_nothing_is_an_error_naming_it()
    {
        using var w = new Workspace();
        w.WriteJsonl("data/a.jsonl", [new { instruction = "Q", output = "A" }]);
        var e = CleanFails(w, Workspace.Sources("data/a.jsonl", "data/*.json"));
        Assert.Equal($"data.sources[1]: the pattern 'data/*.json' matches no file (looked under {Path.Combine(w.Root, "data")}).", e.Message);
        e = CleanFails(w, Workspace.Sources("nothere/*.jsonl"));
        Assert.Equal($"data.sources[0]: the pattern 'nothere/*.jsonl' matches no file: the folder {Path.Combine(w.Root, "nothere")} does not exist.", e.Message);
    }

    [Fact]
    public void A_folder_as_source_asks_for_files_or_a_glob()
    {
        using var w = new Workspace();
        w.WriteJsonl("data/a.jsonl", [new { instruction = "Q", output = "A" }]);
        var e = CleanFails(w, Workspace.Sources("data"));
        Assert.Equal("data.sources[0]: 'data' is a folder; name the files, or a glob such as 'data/*.jsonl'.", e.Message);
    }

    public static TheoryData<string, string, string> UnusableRecords => new()
    {
        { "{\"instruction\":\"Q\"}", RejectReason.MissingField, "no answer: none of the fields 'output', 'response' is present (the record has: instruction); map your field names with data.columns, e.g. columns: {instruction: question, response: answer}." },
        { "{\"question\":\"Q\",\"answer\":\"A\"}", RejectReason.MissingField, "no 'instruction', 'messages', 'conversations' or 'prompt' field (the record has: question, answer); map your field names with data.columns, e.g. columns: {instruction: question, response: answer}." },
        { "{\"instruction\":\"Q\",\"output\":42}", RejectReason.WrongType, "'output' must be a string, found a number." },
        { "{\"instruction\":[\"Q\"],\"output\":\"A\"}", RejectReason.WrongType, "'instruction' must be a string, found an array." },
        { "{\"id\":{\"a\":1},\"instruction\":\"Q\",\"output\":\"A\"}", RejectReason.WrongType, "'id' must be a string or an integer, found an object." },
        { "{\"messages\":[]}", RejectReason.EmptyMessages, "'messages' is empty." },
        { "{\"messages\":\"hi\"}", RejectReason.WrongType, "'messages' must be an array of {role, content} objects, found a string." },
        { "{\"messages\":[{\"role\":\"human\",\"content\":\"Q\"},{\"role\":\"assistant\",\"content\":\"A\"}]}", RejectReason.UnknownRole, "messages[0].role is 'human'; roles are system, user and assistant." },
        { "{\"messages\":[{\"role\":\"user\",\"content\":\"Q\"}]}", RejectReason.BadTurnOrder, "the last message must be the assistant's answer, but messages[0] is 'user'." },
        { "{\"messages\":[{\"role\":\"user\"},{\"role\":\"assistant\",\"content\":\"A\"}]}", RejectReason.MissingField, "messages[0] has no 'content'." },
        { "{\"messages\":[{\"role\":\"assistant\",\"content\":\"A\"}]}", RejectReason.BadTurnOrder, "'messages' has no user message." },
        { "{\"messages\":[{\"role\":\"user\",\"content\":\"Q\"},{\"role\":\"system\",\"content\":\"S\"},{\"role\":\"assistant\",\"content\":\"A\"}]}", RejectReason.BadTurnOrder, "messages[1] is a system message; a system message may only come first." },
        { "{\"instruction\":\"Q\",\"output\":\"A\",\"messages\":[]}", RejectReason.AmbiguousShape, "the record has both 'messages' (chat) and 'instruction' (alpaca); keep one shape per record." },
        { "[1,2]", RejectReason.NotAnObject, "a record must be a JSON object, found an array." },
    };

    [Theory]
    [MemberData(nameof(UnusableRecords))]
    public void Unusable_records_go_to_rejects_with_reason_detail_and_location(string line, string reason, string detail)
    {
        using var w = new Workspace();
        w.Write("d.jsonl", "{\"instruction\":\"ok\",\"output\":\"fine\"}\n" + line + "\n");
        var result = w.Clean(Workspace.Sources("d.jsonl"));
        Assert.Equal((2, 1, 1), (result.Stats.Input, result.Stats.Kept, result.Stats.Rejected));
        var reject = Assert.Single(w.Rejects());
        Assert.Equal(reason, reject.GetProperty("reason").GetString());
        Assert.Equal(detail, reject.GetProperty("detail").GetString());
        Assert.Equal("d.jsonl", reject.GetProperty("source").GetProperty("file").GetString());
        Assert.Equal(2, reject.GetProperty("source").GetProperty("line").GetInt32());
        Assert.Equal(System.Text.Json.JsonDocument.Parse(line).RootElement.GetRawText(), reject.GetProperty("record").GetRawText());
    }

    [Fact]
    public void On_invalid_record_fail_stops_the_stage_at_the_first_unusable_record()
    {
        using var w = new Workspace();
        w.Write("d.jsonl", "{\"instruction\":\"ok\",\"output\":\"fine\"}\n{\"instruction\":\"Q\",\"output\":null}\n");
        var e = CleanFails(w, Workspace.Sources("d.jsonl") with { OnInvalidRecord = InvalidRecordPolicy.Fail });
        Assert.Equal("d.jsonl:2: unusable record (missing_field): no answer: none of the fields 'output', 'response' is present (the record has: instruction, output); " +
                     "map your field names with data.columns, e.g. columns: {instruction: question, response: answer}. " +
                     "data.on_invalid_record is fail; fix the record, or set it to reject to collect such records in rejects.jsonl.", e.Message);
    }
}
