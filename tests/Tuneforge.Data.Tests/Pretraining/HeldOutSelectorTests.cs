using Tuneforge.Data.Pretraining;

namespace Tuneforge.Data.Tests.Pretraining;

public sealed class HeldOutSelectorTests
{
    static readonly string[] Texts = [.. Enumerable.Range(0, 4000).Select(i => $"第 {i} 段：文档的内容 {i * 7919 % 104729}")];

    [Fact]
    public void The_held_out_share_is_close_to_the_setting_and_depends_only_on_the_text()
    {
        var heldOut = Texts.Where(t => HeldOutSelector.IsHeldOut(t, 0.05)).ToList();
        Assert.InRange(heldOut.Count, 150, 250);                                    // 5% of 4000 = 200
        Assert.Equal(heldOut, Texts.Reverse().Where(t => HeldOutSelector.IsHeldOut(t, 0.05)).Reverse());
        Assert.All(heldOut, t => Assert.True(HeldOutSelector.IsHeldOut(t, 0.10)));  // a larger share only adds documents
        Assert.DoesNotContain(Texts, t => HeldOutSelector.IsHeldOut(t, 0));
    }

    [Fact]
    public void The_choice_is_pinned_for_a_known_text()
    {
        // SHA-256("hello") starts 2cf24dba5fb0a30e: 0.1756... of 2^64, so held out from a share of 0.18 on.
        Assert.False(HeldOutSelector.IsHeldOut("hello", 0.17));
        Assert.True(HeldOutSelector.IsHeldOut("hello", 0.18));
    }
}
