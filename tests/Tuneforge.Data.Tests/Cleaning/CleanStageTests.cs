using System.Text.Json;
using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Tests.Cleaning;

public class CleanStageTests
{
    static object Record(string id, string q, string a, string category = "退款") => new { id, instruction = q, output = a, category };

    static List<object> ConflictData() => [
        Record("a", "退款多久到账？", "审核通过后1-3个工作日到账。"),
        Record("x", "运费怎么算？", "满99元包邮，不满收8元。", "物流"),
        Record("b", "退款多久到账？", "3-5个工作日到账。"),
        Record("c", "退款多久到账？", "一周内到账。"),
    ];

    [Fact]
    public void Conflicts_reported_are_all_kept_grouped_and_listed()
    {
        using var w = new Workspace();
        w.WriteJsonl("d.jsonl", ConflictData());
        var result = w.Clean(Workspace.Sources("d.jsonl"), new CleanSpec { OnConflict = ConflictPolicy.Report });
        Assert.Equal([("a", "a"), ("x", null), ("b", "a"), ("c", "a")], w.Kept().Select(r => (r.Id, r.Group)));
        Assert.Equal((1, 3), (result.Stats.ConflictGroups, result.Stats.ConflictRecords));
        var conflict = Assert.Single(Workspace.Lines(Path.Combine(w.Output, "conflicts.jsonl")));
        Assert.Equal("退款多久到账？", conflict.GetProperty("prompt").GetString());
        Assert.Equal(["a", "b", "c"], conflict.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal("3-5个工作日到账。", conflict.GetProperty("records")[1].GetProperty("answer").GetString());
        Assert.Contains("1 prompts have different answers (3 records; clean.on_conflict: all kept, kept together by Split)", w.ReadOutput("summary.md"));
    }

    [Fact]
    public void Conflicts_keep_first_rejects_the_later_answers()
    {
        using var w = new Workspace();
        w.WriteJsonl("d.jsonl", ConflictData());
        w.Clean(Workspace.Sources("d.jsonl"), new CleanSpec { OnConflict = ConflictPolicy.KeepFirst });
        Assert.Equal([("a", null), ("x", null)], w.Kept().Select(r => (r.Id, r.Group)));
        Assert.All(w.Rejects(), r => Assert.Equal((RejectReason.ConflictingAnswer, "a"), (r.GetProperty("reason").GetString(), r.GetProperty("duplicate_of").GetString())));
        Assert.Equal("the same prompt as 'a' with a different answer (clean.on_conflict is keep_first).", w.Rejects()[0].GetProperty("detail").GetString());
    }

    [Fact]
    public void Conflicts_drop_rejects_every_record_of_the_group_including_the_first()
    {
        using var w = new Workspace();
        w.WriteJsonl("d.jsonl", ConflictData());
        var result = w.Clean(Workspace.Sources("d.jsonl"), new CleanSpec { OnConflict = ConflictPolicy.Drop });
        Assert.Equal(["x"], w.Kept().Select(r => r.Id));
        Assert.Equal(["b", "c", "a"], w.Rejects().Select(r => r.GetProperty("record").GetProperty("id").GetString()));
        Assert.Equal((4, 1, 3), (result.Stats.Input, result.Stats.Kept, result.Stats.Rejected));
        Assert.Equal((3, 0, 3), result.Stats.ByCategory.Where(c => c.Category == "退款").Select(c => (c.Input, c.Kept, c.Rejected)).Single());
        Assert.Equal("other records have the same prompt and different answers ('b', 'c'); clean.on_conflict is drop: every record of the group is rejected.",
            w.Rejects()[2].GetProperty("detail").GetString());
    }

    [Fact]
    public void Length_filters_and_empty_answers_reject_with_details()
    {
        using var w = new Workspace();
        w.WriteJsonl("d.jsonl", [
            Record("ok", "运费怎么算？", "满99元包邮。"),
            Record("short", "嗯", "好"),
            Record("long", "请详细说明。", new string('很', 60)),
            Record("empty", "退款多久到账？", "   "),
            Record("noprompt", " ", "一个回答"),
        ]);
        var result = w.Clean(Workspace.Sources("d.jsonl"), new CleanSpec { MinChars = 4, MaxChars = 50 });
        Assert.Equal(["ok"], w.Kept().Select(r => r.Id));
        var details = w.Rejects().ToDictionary(r => r.GetProperty("record").GetProperty("id").GetString()!, r => (r.GetProperty("reason").GetString(), r.GetProperty("detail").GetString()));
        Assert.Equal((RejectReason.TooShort, "2 characters, fewer than clean.min_chars (4)."), details["short"]);
        Assert.Equal((RejectReason.TooLong, "66 characters, more than clean.max_chars (50)."), details["long"]);
        Assert.Equal((RejectReason.EmptyResponse, "the answer is empty."), details["empty"]);
        Assert.Equal((RejectReason.EmptyPrompt, "the question is empty."), details["noprompt"]);
        Assert.Equal(4, result.Stats.Rejected);
    }

    [Fact]
    public void Token_filters_count_with_the_given_tokenizer()
    {
        using var w = new Workspace();
        w.WriteJsonl("d.jsonl", [Record("few", "hi", "ok"), Record("fit", "How long does a refund take?", "One to three working days."), Record("many", "Tell me", string.Join(" ", Enumerable.Repeat("refund", 40)))]);
        var result = w.Clean(Workspace.Sources("d.jsonl"), new CleanSpec { MinChars = 0, MinTokens = 3, MaxTokens = 30 }, RepositoryFiles.Path("data", "tokenizers", "deepseek-r1"));
        Assert.Equal(["fit"], w.Kept().Select(r => r.Id));
        Assert.Equal([RejectReason.TooFewTokens, RejectReason.TooManyTokens], w.Rejects().Select(r => r.GetProperty("reason").GetString()));
        Assert.Equal("2 tokens, fewer than clean.min_tokens (3).", w.Rejects()[0].GetProperty("detail").GetString());
        Assert.NotNull(result.Stats.TokensOfKept);
        Assert.Contains("\"length_tokens\"", w.ReadOutput("stats.json"));
    }

    [Fact]
    public void The_tokenizer_counts_the_same_from_parallel_batches_as_alone()
    {
        // Clean counts tokens on several threads with one tokenizer: its cache must not mix up results.
        var tokenizer = Text.HfTokenizer.Load(RepositoryFiles.Path("data", "tokenizers", "deepseek-r1"));
        var texts = File.ReadLines(RepositoryFiles.Path("data", "samples", "support-zh.jsonl")).ToArray();
        var sequential = texts.Select(t => tokenizer.Encode(t).Length).ToArray();
        var fresh = Text.HfTokenizer.Load(RepositoryFiles.Path("data", "tokenizers", "deepseek-r1"));
        var parallel = new int[texts.Length];
        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = fresh.Encode(texts[i]).Length);
        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public void Token_filters_without_a_tokenizer_are_an_error()
    {
        using var w = new Workspace();
        w.WriteJsonl("d.jsonl", [Record("a", "Q", "A")]);
        var e = Assert.Throws<DataException>(() => w.Clean(Workspace.Sources("d.jsonl"), new CleanSpec { MaxTokens = 10 }));
        Assert.Equal("clean.min_tokens/max_tokens need a tokenizer: set clean.tokenizer to a folder with tokenizer.json.", e.Message);
        var missing = Assert.Throws<DataException>(() => w.Clean(Workspace.Sources("d.jsonl"), new CleanSpec { MaxTokens = 10 }, Path.Combine(w.Root, "none")));
        Assert.StartsWith("clean.tokenizer: ", missing.Message);
    }

    [Fact]
    public void Pii_redaction_is_opt_in_and_counted()
    {
        using var w = new Workspace();
        w.WriteJsonl("d.jsonl", [Record("p", "我的手机号是13800138000，邮箱a.b@example.com", "好的，已为您查询。")]);
        w.Clean(Workspace.Sources("d.jsonl"));
        Assert.Equal("我的手机号是13800138000，邮箱a.b@example.com", w.Kept()[0].Messages[0].Content);
        w.Clean(Workspace.Sources("d.jsonl"), new CleanSpec { RedactPii = new PiiSpec { Enabled = true } });
        Assert.Equal("我的手机号是[PHONE]，邮箱[EMAIL]", w.Kept()[0].Messages[0].Content);
        using var stats = JsonDocument.Parse(w.ReadOutput("stats.json"));
        Assert.Equal("{\"email\":1,\"phone\":1}", stats.RootElement.GetProperty("pii_redactions").GetRawText().Replace(" ", "").Replace("\n", ""));
    }

    [Fact]
    public void Stats_and_summary_count_by_reason_category_and_length()
    {
        using var w = new Workspace();
        w.WriteJsonl("d.jsonl", [
            Record("a", "退款多久到账？", "审核通过后1-3个工作日到账。"),
            Record("b", "退款多久到账？", "审核通过后1-3个工作日到账。"),
            Record("c", "运费怎么算？", "满99元包邮。", "物流"),
            Record("d", "运费", "", "物流"),
        ]);
        w.Write("e.jsonl", "{\"instruction\":\"Q\"}\n");
        var result = w.Clean(Workspace.Sources("d.jsonl", "e.jsonl"));
        Assert.Equal((5, 2, 3), (result.Stats.Input, result.Stats.Kept, result.Stats.Rejected));
        using var stats = JsonDocument.Parse(w.ReadOutput("stats.json"));
        var root = stats.RootElement;
        Assert.Equal(DataVersion.Clean, root.GetProperty("version").GetString());
        Assert.Equal("{\"empty_response\":1,\"exact_duplicate\":1,\"missing_field\":1}", root.GetProperty("rejected_by_reason").GetRawText().Replace(" ", "").Replace("\n", ""));
        Assert.Equal(2, root.GetProperty("by_category").GetProperty("物流").GetProperty("input").GetInt32());
        Assert.Equal(1, root.GetProperty("by_category").GetProperty("退款").GetProperty("rejected").GetInt32());
        Assert.Equal(22, root.GetProperty("length_chars").GetProperty("max").GetInt32());
        Assert.Equal(15, root.GetProperty("near_dedupe").GetProperty("bands").GetInt32());
        var summary = w.ReadOutput("summary.md");
        Assert.Contains("2 of 5 records kept, 3 rejected (60.0%).", summary);
        Assert.Contains("| exact_duplicate | 1 | d.jsonl:2 |", summary);
        Assert.Contains("| 物流 | 2 | 1 | 1 |", summary);
        Assert.Contains("| e.jsonl | 1 |", summary);
    }

    [Fact]
    public void The_same_input_gives_byte_identical_outputs()
    {
        using var w = new Workspace();
        w.WriteJsonl("d.jsonl", Enumerable.Range(0, 300).Select(i => Record($"r{i}", $"问题{i % 120}号是什么？", $"回答{i % 97}，谢谢。", i % 3 == 0 ? "物流" : "退款")));
        w.Clean(Workspace.Sources("d.jsonl"));
        var first = new[] { "clean.jsonl", "rejects.jsonl", "stats.json", "summary.md", "conflicts.jsonl" }.Select(w.ReadOutput).ToList();
        w.Clean(Workspace.Sources("d.jsonl"));
        Assert.Equal(first, new[] { "clean.jsonl", "rejects.jsonl", "stats.json", "summary.md", "conflicts.jsonl" }.Select(w.ReadOutput));
        Assert.Empty(Directory.GetFiles(w.Output, "*.tmp"));
    }
}
