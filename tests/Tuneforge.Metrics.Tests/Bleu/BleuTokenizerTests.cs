using Tuneforge.Metrics.Bleu;

namespace Tuneforge.Metrics.Tests.Bleu;

public class BleuTokenizerTests
{
    // Outputs of sacreBLEU 2.6.0 (mjpost/sacrebleu@f615c72) Tokenizer13a on the same inputs.
    [Theory]
    [InlineData("It wasn't surprising.", "It wasn't surprising .")]
    [InlineData("Pi is 3.14, about 1,000/318 (roughly) &amp; 2-3 &quot;x&quot; <skipped>end", "Pi is 3.14 , about 1,000 / 318 ( roughly ) & 2 - 3 \" x \" end")]
    [InlineData("e.g. U.S.A.-based", "e . g . U . S . A . -based")]
    public void Tokenizer_13a_matches_sacrebleu(string input, string expected)
    {
        Assert.Equal(expected, BleuTokenizer.Tokenize(input, BleuTokenizerKind.Thirteen13a));
    }

    // Outputs of sacreBLEU 2.6.0 TokenizerZh. Its ranges split general punctuation (“ ” — …) but not kana,
    // Hangul or CJK Extension B (𠀀): two of its ranges are 5-digit \u escapes that Python reads differently.
    [Theory]
    [InlineData("我爱北京天安门。", "我 爱 北 京 天 安 门 。")]
    [InlineData("模型在GPU上训练了3.5小时，loss降到1.2！", "模 型 在 GPU 上 训 练 了 3.5 小 时 ， loss 降 到 1.2 ！")]
    [InlineData("“引号”—破折号…省略", "“ 引 号 ” — 破 折 号 … 省 略")]
    [InlineData("カタカナ와한국어𠀀", "カタカナ와한국어𠀀")]
    public void Tokenizer_zh_matches_sacrebleu(string input, string expected)
    {
        Assert.Equal(expected, BleuTokenizer.Tokenize(input, BleuTokenizerKind.Zh));
    }

    [Fact]
    public void Unknown_tokenizer_name_is_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() => BleuTokenizer.Parse("intl"));
        Assert.StartsWith("unknown BLEU tokenizer 'intl': use one of none, 13a, zh", error.Message);
    }
}
