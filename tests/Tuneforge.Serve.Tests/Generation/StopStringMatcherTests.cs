using Tuneforge.Serve.Generation;

namespace Tuneforge.Serve.Tests.Generation;

public class StopStringMatcherTests
{
    [Fact]
    public void A_stop_string_split_over_pieces_is_never_passed_on()
    {
        var matcher = new StopStringMatcher(["END"]);
        Assert.Equal("abc", matcher.Push("abcE"));
        Assert.Equal("", matcher.Push("N"));
        Assert.Equal("", matcher.Push("Dxyz"));
        Assert.True(matcher.Stopped);
        Assert.Equal("", matcher.Flush());
    }

    [Fact]
    public void Held_text_that_does_not_become_a_stop_string_is_released()
    {
        var matcher = new StopStringMatcher(["END"]);
        Assert.Equal("a", matcher.Push("aEN"));
        Assert.Equal("ENx", matcher.Push("x"));
        Assert.Equal("", matcher.Push("E"));
        Assert.Equal("E", matcher.Flush());
        Assert.False(matcher.Stopped);
    }

    [Fact]
    public void The_earliest_of_several_stop_strings_cuts_the_text()
    {
        var matcher = new StopStringMatcher(["\n\n", "Observation:"]);
        Assert.Equal("answer", matcher.Push("answerObservation: x\n\n"));
        Assert.True(matcher.Stopped);
    }

    [Fact]
    public void Pieces_joined_equal_the_text_cut_before_the_first_stop_whatever_the_split()
    {
        const string text = "一二三STOP四五STO六STOP七";
        var expected = text[..text.IndexOf("STOP", StringComparison.Ordinal)];
        for (var size = 1; size <= text.Length; size++)
        {
            var matcher = new StopStringMatcher(["STOP", "七"]);
            var output = "";
            for (var i = 0; i < text.Length && !matcher.Stopped; i += size) output += matcher.Push(text.Substring(i, Math.Min(size, text.Length - i)));
            output += matcher.Flush();
            Assert.Equal(expected, output);
        }
    }

    [Fact]
    public void Without_stop_strings_text_passes_through_at_once()
    {
        var matcher = new StopStringMatcher([]);
        Assert.Equal("E", matcher.Push("E"));
        Assert.Equal("", matcher.Flush());
    }
}
