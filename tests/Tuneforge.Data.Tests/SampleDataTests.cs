using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Tests;

/// <summary>The shipped sample datasets clean into what the default pipeline and its README promise.</summary>
public class SampleDataTests
{
    [Fact]
    public void Chinese_support_set_has_600_usable_records_over_six_categories_and_the_noise_clean_exists_for()
    {
        using var w = new Workspace();
        var data = new DataSpec { Sources = [RepositoryFiles.Path("data", "samples", "support-zh.jsonl")] };
        var result = DataStages.Clean(new CleanRequest(data, new CleanSpec { MinChars = 4, RedactPii = new PiiSpec { Enabled = true } }, RepositoryFiles.Root, w.Output));
        var stats = result.Stats;
        Assert.True(stats.Input >= 600 && stats.Kept >= 600, $"{stats.Input} read, {stats.Kept} kept");
        Assert.Equal(["发票", "售后", "物流", "订单", "账户", "退款"], stats.ByCategory.Select(c => c.Category));
        Assert.True(stats.RejectedFor(RejectReason.ExactDuplicate) >= 5);
        Assert.True(stats.RejectedFor(RejectReason.NearDuplicate) >= 5);
        Assert.True(stats.RejectedFor(RejectReason.EmptyResponse) >= 3);
        Assert.True(stats.ConflictGroups >= 1);
        Assert.Contains(stats.Redactions, r => r.Kind == PiiKind.Phone && r.Count >= 3);
        Assert.Contains(stats.Redactions, r => r.Kind == PiiKind.Email && r.Count >= 3);
        var answers = w.Kept().Select(r => r.Response.Length).ToList();
        Assert.InRange(answers.Min(), 8, 30);
        Assert.InRange(answers.Max(), 30, 80);
    }

    [Fact]
    public void English_chat_set_reads_every_record_including_multi_turn_ones()
    {
        using var w = new Workspace();
        var data = new DataSpec { Sources = [RepositoryFiles.Path("data", "samples", "support-en-chat.jsonl")] };
        var result = DataStages.Clean(new CleanRequest(data, new CleanSpec(), RepositoryFiles.Root, w.Output));
        Assert.True(result.Stats.Input >= 60);
        Assert.DoesNotContain(result.Stats.RejectedByReason, r => RejectReason.IsInvalidRecord(r.Reason));
        Assert.Contains(w.Kept(), r => r.Messages.Count(m => m.Role == "user") == 2);
        Assert.Contains(w.Kept(), r => r.Messages[0].Role == "system");
    }
}
