using Tuneforge.Data.Cleaning;

namespace Tuneforge.Data.Tests.Cleaning;

public class TextNormalizerTests
{
    [Theory]
    [InlineData("请问，运费怎么算？（急）", "请问，运费怎么算？（急）")] // full-width punctuation stays (NFKC would make it ASCII)
    [InlineData("ｄａｔａ１２３", "ｄａｔａ１２３")]             // full-width letters stay too
    [InlineData("Cafe\u0301", "Café")]                     // NFC composes
    [InlineData("  hello   world  ", "hello world")]
    [InlineData("a\t\tb", "a b")]
    [InlineData("line1\r\nline2\rline3", "line1\nline2\nline3")]
    [InlineData("a  \n  b", "a\nb")]
    [InlineData("a\n\n\n\n\nb", "a\n\nb")]
    [InlineData("订单\u200b怎么取消", "订单怎么取消")]
    [InlineData("发货后\u00a0多久\u3000到", "发货后 多久 到")]
    [InlineData("bell\u0007 and\u0000 nul", "bell and nul")]
    [InlineData("soft\u00adhyphen", "softhyphen")]
    [InlineData("👨\u200d👩\u200d👧 family", "👨\u200d👩\u200d👧 family")]  // ZWJ stays inside emoji
    [InlineData("", "")]
    public void Normalizes_to_nfc_and_clean_whitespace(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(input));

    [Fact]
    public void Lone_surrogates_become_replacement_characters() =>
        Assert.Equal("lone \ufffd surrogate", TextNormalizer.Normalize("lone \ud800 surrogate"));

    [Fact]
    public void Clean_text_is_returned_as_is()
    {
        const string text = "退款审核通过后1-3个工作日到账。\n\n谢谢！";
        Assert.Same(text, TextNormalizer.Normalize(text));
    }
}
