using Tuneforge.Serve.Generation;
using Tuneforge.Text;

namespace Tuneforge.Serve.Tests.Generation;

public class ReasoningStreamTests
{
    private static readonly IChatTemplate R1 = ChatTemplates.Get("deepseek-r1");

    public static TheoryData<string> Outputs => new()
    {
        "Let me think.\nStep 1.\n\nStep 2.\n</think>\n\nThe answer is 42.",
        "\n\n</think>\n\nNo reasoning needed.",
        "<think>\nopened again by the model\n</think>\n\nfine",
        "reasoning that never closes\n\n",
        "想一想：发票多久能开？\n</think>\n\n三个工作日内。",
        "a</thi",
        "x </think> y",
        "",
    };

    [Theory]
    [MemberData(nameof(Outputs))]
    public void Streamed_in_any_pieces_it_splits_as_the_template_does(string generated)
    {
        var expected = R1.SplitReasoning(generated);
        for (var size = 1; size <= Math.Max(1, generated.Length); size++)
        {
            var stream = new ReasoningStream(thinkOpened: true);
            var (reasoning, answer) = ("", "");
            for (var i = 0; i < generated.Length; i += size)
            {
                var (r, a) = stream.Push(generated.Substring(i, Math.Min(size, generated.Length - i)));
                (reasoning, answer) = (reasoning + r, answer + a);
            }
            var (lastReasoning, lastAnswer) = stream.Finish();
            Assert.Equal(expected.Reasoning, reasoning + lastReasoning);
            Assert.Equal(expected.Answer, answer + lastAnswer);
            Assert.Equal(expected.Reasoning, stream.Reasoning);
            Assert.Equal(expected.Answer, stream.Answer);
        }
    }

    [Fact]
    public void Without_an_opened_think_block_plain_text_is_all_answer()
    {
        var stream = new ReasoningStream(thinkOpened: false);
        Assert.Equal(("", ""), stream.Push("<thi"));
        Assert.Equal(("", "<thix"), stream.Push("x"));
        Assert.Equal(("", " and more\n"), stream.Push(" and more\n"));
        stream.Finish();
        Assert.Null(stream.Reasoning);
        Assert.Equal("<thix and more\n", stream.Answer);
    }

    [Fact]
    public void Without_an_opened_think_block_a_leading_block_is_still_reasoning()
    {
        var stream = new ReasoningStream(thinkOpened: false);
        stream.Push("<think>\nhmm\n</think>\n\nyes");
        stream.Finish();
        Assert.Equal("hmm", stream.Reasoning);
        Assert.Equal("yes", stream.Answer);
    }

    [Fact]
    public void Newlines_inside_the_reasoning_pass_once_more_text_follows_them()
    {
        var stream = new ReasoningStream(thinkOpened: true);
        Assert.Equal(("a", ""), stream.Push("a\n"));
        Assert.Equal(("", ""), stream.Push("\n"));
        Assert.Equal(("\n\nb", ""), stream.Push("b"));
        Assert.Equal(("", ""), stream.Push("\n</think>\n"));
        Assert.Equal(("", "c"), stream.Push("\nc"));
    }
}
