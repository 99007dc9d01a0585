using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Data.Tests.Reading;

public class PreferenceShapeTests
{
    static CleanSpec NoDedupe => new() { DedupeExact = false, NearDedupe = new NearDedupeSpec { Enabled = false }, MinChars = 0 };

    [Fact]
    public void Pairs_read_from_prompt_strings_from_message_lists_and_from_messages_with_the_chosen_answer_last()
    {
        using var w = new Workspace();
        w.Write("p.jsonl", """
            {"id":"a","prompt":"运费多少？","chosen":"满99包邮。","rejected":"不知道。","system":"你是客服。"}
            {"id":"b","prompt":[{"role":"user","content":"Hi"}],"chosen":[{"role":"assistant","content":"Hello!"}],"rejected":[{"role":"assistant","content":"What?"}]}
            {"id":"c","messages":[{"role":"user","content":"退货？"}],"chosen":"七天无理由。","rejected":"不行。"}

            """);
        w.Clean(Workspace.Sources("p.jsonl"), NoDedupe);
        var kept = w.Kept();
        Assert.Equal([ChatMessage.System("你是客服。"), ChatMessage.User("运费多少？"), ChatMessage.Assistant("满99包邮。")], kept[0].Messages);
        Assert.Equal("不知道。", kept[0].Rejected);
        Assert.Equal([ChatMessage.User("Hi"), ChatMessage.Assistant("Hello!")], kept[1].Messages);
        Assert.Equal("What?", kept[1].Rejected);
        Assert.Equal([ChatMessage.User("退货？"), ChatMessage.Assistant("七天无理由。")], kept[2].Messages);
        Assert.Equal("不行。", kept[2].Rejected);
        Assert.All(kept, r => Assert.Null(r.Label));
        Assert.Empty(kept[0].Metadata);
    }

    [Fact]
    public void Kto_labels_read_beside_prompt_completion_and_messages_and_travel_through_clean_jsonl()
    {
        using var w = new Workspace();
        w.Write("k.jsonl", """
            {"prompt":"运费多少？","completion":"满99包邮。","label":true}
            {"messages":[{"role":"user","content":"运费多少？"},{"role":"assistant","content":"自己查。"}],"label":false}

            """);
        w.Clean(Workspace.Sources("k.jsonl"), NoDedupe);
        var kept = w.Kept();
        Assert.Equal([true, false], kept.Select(r => r.Label));
        Assert.Equal("自己查。", kept[1].Response);
        Assert.Contains("\"label\":false", w.ReadOutput("clean.jsonl"));
    }

    [Fact]
    public void Broken_preference_records_are_rejected_with_what_is_wrong_and_fail_at_file_and_line()
    {
        using var w = new Workspace();
        w.Write("bad.jsonl", """
            {"prompt":"a?","chosen":"b"}
            {"prompt":"a?","chosen":"b","rejected":["c"]}
            {"messages":[{"role":"user","content":"a?"},{"role":"assistant","content":"b"}],"chosen":"b","rejected":"c"}
            {"prompt":"a?","completion":"b","label":"yes"}
            {"prompt":"a?","chosen":"b","rejected":"c","label":true}
            {"prompt":"a?","chosen":"b","rejected":[{"role":"assistant","content":"c"},{"role":"assistant","content":"d"}]}

            """);
        w.Clean(Workspace.Sources("bad.jsonl"), NoDedupe);
        var rejects = w.Rejects().Select(r => (r.GetProperty("reason").GetString(), r.GetProperty("detail").GetString())).ToList();
        Assert.StartsWith("'chosen' has no 'rejected' beside it: a preference pair names the better and the worse answer", rejects[0].Item2);
        Assert.Equal(("wrong_type", "rejected[0] must be an object with role and content, found a string."), rejects[1]);
        Assert.Equal(("bad_turn_order", "the prompt of a preference pair ('messages') must end with the user's turn; the answers go in 'chosen' and 'rejected'."), rejects[2]);
        Assert.Equal(("wrong_type", "'label' must be true (a desirable answer) or false (an undesirable one), found a string \"yes\"."), rejects[3]);
        Assert.Equal("ambiguous_shape", rejects[4].Item1);
        Assert.Equal(("bad_turn_order", "'rejected' must hold exactly one assistant message, found 2 message(s)."), rejects[5]);

        var e = Assert.Throws<DataException>(() => w.Clean(Workspace.Sources("bad.jsonl") with { OnInvalidRecord = InvalidRecordPolicy.Fail }, NoDedupe));
        Assert.StartsWith("bad.jsonl:1: unusable record (missing_field): 'chosen' has no 'rejected' beside it", e.Message);
    }

    [Fact]
    public void Pairs_of_one_prompt_are_not_conflicts_and_split_keeps_them_in_one_part()
    {
        using var w = new Workspace();
        var records = new List<object>();
        string[] categories = ["物流", "退货", "支付"];
        for (var i = 0; i < 60; i++)
            for (var j = 0; j < 3; j++)
                records.Add(new { id = $"q{i}-{j}", prompt = $"第{i}个问题：订单{i}怎么查？", chosen = $"在我的订单里查看第{i}单，第{j}种说法。", rejected = $"不知道{j}。", category = categories[i % 3] });
        // The same pair twice is an exact duplicate; the same chosen answer with another rejected one is not.
        records.Add(new { id = "dup", prompt = "第0个问题：订单0怎么查？", chosen = "在我的订单里查看第0单，第0种说法。", rejected = "不知道0。", category = "物流" });
        w.WriteJsonl("pairs.jsonl", records);
        w.Clean(Workspace.Sources("pairs.jsonl"), new CleanSpec { NearDedupe = new NearDedupeSpec { Enabled = false } });
        var reject = Assert.Single(w.Rejects());
        Assert.Equal("exact_duplicate", reject.GetProperty("reason").GetString());
        Assert.Equal(180, w.Kept().Count);

        var split = Path.Combine(w.Root, "split");
        DataStages.Split(new SplitSpec(), Path.Combine(w.Output, "clean.jsonl"), split);
        var parts = new[] { "train", "val", "test" }
            .SelectMany(part => RecordJson.ReadFile(Path.Combine(split, $"{part}.jsonl")).Select(r => (r.Id, part, r.Rejected)))
            .ToList();
        Assert.Equal(180, parts.Count);
        Assert.All(parts, p => Assert.NotNull(p.Rejected));
        for (var i = 0; i < 60; i++) Assert.Single(parts.Where(p => p.Id.StartsWith($"q{i}-", StringComparison.Ordinal)).Select(p => p.part).Distinct());
        Assert.Equal(3, parts.Select(p => p.part).Distinct().Count());
    }
}
