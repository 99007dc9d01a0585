using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Tests.Cleaning;

public class DedupeTests
{
    // Texts of distinct CJK characters: n characters have exactly n - 4 distinct 5-grams, so Jaccard is exact arithmetic.
    static string Distinct(int from, int count) => string.Concat(Enumerable.Range(from, count).Select(i => (char)(0x4E00 + i)));

    static object Record(string id, string q, string a) => new { id, instruction = q, output = a };

    [Fact]
    public void Exact_duplicates_after_normalization_keep_the_first_and_name_it()
    {
        using var w = new Workspace();
        w.WriteJsonl("d.jsonl", [
            Record("a", "运费怎么算？", "满99元包邮。"),
            Record("b", "  运费怎么算？ ", "满99元包邮。\r\n"),
            new { id = "c", instruction = "运费怎么算？", output = "满99元包邮。", category = "物流" },
            Record("d", "运费怎么算？", "满99元包邮！"),
        ]);
        var result = w.Clean(Workspace.Sources("d.jsonl"), new CleanSpec { NearDedupe = new NearDedupeSpec { Enabled = false } });
        Assert.Equal(["a", "d"], w.Kept().Select(r => r.Id));
        var rejects = w.Rejects();
        Assert.Equal(["b", "c"], rejects.Select(r => r.GetProperty("record").GetProperty("id").GetString()));
        Assert.All(rejects, r => Assert.Equal((RejectReason.ExactDuplicate, "a"), (r.GetProperty("reason").GetString(), r.GetProperty("duplicate_of").GetString())));
        Assert.Equal(2, result.Stats.RejectedFor(RejectReason.ExactDuplicate));
        Assert.Equal(1, result.Stats.ConflictGroups); // d: same prompt, another answer
    }

    [Fact]
    public void Exact_dedupe_can_be_turned_off()
    {
        using var w = new Workspace();
        w.WriteJsonl("d.jsonl", [Record("a", "Q?", "Answer."), Record("b", "Q?", "Answer.")]);
        var result = w.Clean(Workspace.Sources("d.jsonl"), new CleanSpec { DedupeExact = false, NearDedupe = new NearDedupeSpec { Enabled = false } });
        Assert.Equal(2, w.Kept().Count);
        Assert.Equal(0, result.Stats.ConflictGroups); // a repeat is not a conflict
        Assert.Equal(["a", "a"], w.Kept().Select(r => r.Group)); // but it stays with the first in Split
    }

    [Fact]
    public void Near_duplicates_keep_the_first_and_report_similarity()
    {
        using var w = new Workspace();
        const string answer = "Refunds go back to the original payment method and arrive 1-3 working days after approval.";
        w.WriteJsonl("d.jsonl", [
            Record("a", "How long does a refund take?", answer),
            Record("b", "How long does a refund take??", answer),
            Record("c", "Which courier do you use?", "ZTO by default; SF Express for 10 yuan extra."),
        ]);
        w.Clean(Workspace.Sources("d.jsonl"));
        Assert.Equal(["a", "c"], w.Kept().Select(r => r.Id));
        var reject = Assert.Single(w.Rejects());
        Assert.Equal(RejectReason.NearDuplicate, reject.GetProperty("reason").GetString());
        Assert.Equal("a", reject.GetProperty("duplicate_of").GetString());
        Assert.Equal(0.9402, reject.GetProperty("similarity").GetDouble()); // 110 / 117, as a Python set computation gives
        Assert.Equal("94% of its character 5-grams are shared with 'a' (clean.near_dedupe.threshold is 0.85).", reject.GetProperty("detail").GetString());
    }

    [Fact]
    public void Chinese_near_duplicates_are_found_without_word_boundaries()
    {
        using var w = new Workspace();
        w.WriteJsonl("d.jsonl", [
            Record("z1", "请问退款多久能到账？", "退款审核通过后1-3个工作日到账，请留意原支付账户。"),
            Record("z2", "请问退款多久能到账？", "退款审核通过后1-3个工作日到账，请留意原支付账户！"),
            Record("z3", "请问退款多久能到账？", "退款审核通过后1-3个工作日到账，请留意原支付账户哦。"),   // 0.914
            Record("z4", "发票多久能开好？", "电子发票会在1-3个工作日内发送到您填写的邮箱。"),
            Record("z5", "请问退款多久能到账呀？", "退款审核通过后1-3个工作日到账，请留意原支付账户。"),   // 0.763: similar, not a duplicate
        ]);
        w.Clean(Workspace.Sources("d.jsonl"));
        Assert.Equal(["z1", "z4", "z5"], w.Kept().Select(r => r.Id));
        Assert.Equal([("z2", 0.9412), ("z3", 0.9143)], w.Rejects().Select(r => (r.GetProperty("record").GetProperty("id").GetString(), r.GetProperty("similarity").GetDouble())));
        Assert.All(w.Rejects(), r => Assert.Equal("z1", r.GetProperty("duplicate_of").GetString()));
    }

    [Theory]
    [InlineData(89, 104, true)]   // 85 / 100 = 0.85: at the threshold is a duplicate
    [InlineData(88, 103, false)]  // 84 / 99 = 0.8485: just below is not
    [InlineData(185, 204, true)]  // 181 / 200 = 0.905
    [InlineData(30, 35, false)]   // 26 / 31 = 0.839
    public void The_threshold_edge_is_exact(int shorter, int longer, bool duplicate)
    {
        // Question and answer are parts of one run of distinct characters; "\n" joins them, so text lengths are +1.
        var question = Distinct(0, 5);
        var first = Record("a", question, Distinct(10, shorter - 6));
        var second = Record("b", question, Distinct(10, longer - 6));
        using var w = new Workspace();
        w.WriteJsonl("d.jsonl", [first, second]);
        w.Clean(Workspace.Sources("d.jsonl"), new CleanSpec { NearDedupe = new NearDedupeSpec { Threshold = 0.85 }, OnConflict = ConflictPolicy.Report });
        Assert.Equal(duplicate ? 1 : 2, w.Kept().Count);
        if (duplicate)
            Assert.Equal(Math.Round((shorter - 4.0) / (longer - 4.0), 4), Assert.Single(w.Rejects()).GetProperty("similarity").GetDouble());
    }

    [Fact]
    public void The_most_similar_kept_record_is_named()
    {
        var question = Distinct(0, 5);
        using var w = new Workspace();
        w.WriteJsonl("d.jsonl", [
            Record("far", question, Distinct(10, 90) + Distinct(500, 10)),
            Record("close", Distinct(600, 5), Distinct(10, 90)),
            Record("probe", Distinct(600, 5), Distinct(10, 92)),
        ]);
        w.Clean(Workspace.Sources("d.jsonl"));
        Assert.Equal("close", Assert.Single(w.Rejects()).GetProperty("duplicate_of").GetString());
    }

    [Fact]
    public void Near_dedupe_can_be_turned_off()
    {
        using var w = new Workspace();
        w.WriteJsonl("d.jsonl", [Record("a", "请问退款多久能到账？", "1-3个工作日到账。"), Record("b", "请问退款多久能到账呀？", "1-3个工作日到账。")]);
        w.Clean(Workspace.Sources("d.jsonl"), new CleanSpec { NearDedupe = new NearDedupeSpec { Enabled = false } });
        Assert.Equal(2, w.Kept().Count);
    }
}
