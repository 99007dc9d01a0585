using Tuneforge.Metrics.Chrf;
using static Tuneforge.Metrics.Tests.Bleu.SacreBleuExamples;

namespace Tuneforge.Metrics.Tests.Chrf;

public class ChrfMetricTests
{
    private const double Epsilon = 1e-4;

    private static IReadOnlyList<IReadOnlyList<string>> Single(params string[] references) =>
        references.Select(r => (IReadOnlyList<string>)new[] { r }).ToList();

    // sacreBLEU: README, "Using SacreBLEU from Python": chrf.corpus_score(sys, refs) -> chrF2 = 59.73.
    [Fact]
    public void Default_chrf_matches_the_sacrebleu_readme()
    {
        var references = PerHypothesisNonNull(ReferenceStreams.Select(s => s.Select(r => r!).ToArray()).ToArray());
        var metric = new ChrfMetric();
        Assert.Equal("59.73", metric.CorpusScore(Hypotheses, references).ToString("F2", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("chrF2", metric.Options.Name);
        Assert.Equal("nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no", metric.Options.Signature(1));
    }

    // sacreBLEU: test/test_chrf.py, test_chrf (char order 6, word order 0, beta 3, eps smoothing).
    [Theory]
    [InlineData(new[] { "abcdefg" }, new[] { "hijklmnop" }, 0.0)]
    [InlineData(new[] { "a" }, new[] { "b" }, 0.0)]
    [InlineData(new[] { "" }, new[] { "b" }, 0.0)]
    [InlineData(new[] { "" }, new[] { "ref" }, 0.0)]
    [InlineData(new[] { "" }, new[] { "reference" }, 0.0)]
    [InlineData(new[] { "aa" }, new[] { "ab" }, 8.3333)]
    [InlineData(new[] { "a", "b" }, new[] { "a", "c" }, 8.3333)]
    [InlineData(new[] { "a" }, new[] { "a" }, 16.6667)]
    [InlineData(new[] { "a b c" }, new[] { "a b c" }, 50.0)]
    [InlineData(new[] { "a b c" }, new[] { "abc" }, 50.0)]
    [InlineData(new[] { " risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists ." },
        new[] { "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists ." }, 63.361730)]
    [InlineData(new[] { " Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. " },
        new[] { "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich." }, 64.1302698)]
    [InlineData(new[] { "Niemand hat die Absicht, eine Mauer zu errichten" }, new[] { "Niemand hat die Absicht, eine Mauer zu errichten" }, 100.0)]
    public void Chrf_with_eps_smoothing_matches_test_chrf(string[] hypotheses, string[] references, double expected)
    {
        var metric = new ChrfMetric(new ChrfOptions { Beta = 3, EpsSmoothing = true });
        Assert.Equal(expected, metric.CorpusScore(hypotheses, Single(references)), Epsilon);
    }

    // sacreBLEU: test/test_chrf.py, test_chrf_eff_order (sacreBLEU's default effective-order averaging).
    [Theory]
    [InlineData(new[] { "a" }, new[] { "a" }, 100.0)]
    [InlineData(new[] { "" }, new[] { "reference" }, 0.0)]
    [InlineData(new[] { "a b c" }, new[] { "a b c" }, 100.0)]
    [InlineData(new[] { "a b c" }, new[] { "abc" }, 100.0)]
    [InlineData(new[] { "" }, new[] { "c" }, 0.0)]
    [InlineData(new[] { "a", "b" }, new[] { "a", "c" }, 50.0)]
    [InlineData(new[] { "aa" }, new[] { "ab" }, 25.0)]
    public void Chrf_with_effective_order_matches_test_chrf_eff_order(string[] hypotheses, string[] references, double expected)
    {
        Assert.Equal(expected, new ChrfMetric(new ChrfOptions { Beta = 3 }).CorpusScore(hypotheses, Single(references)), Epsilon);
    }

    // sacreBLEU: test/test_chrf.py, test_chrf_keep_whitespace.
    [Theory]
    [InlineData("Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.",
        "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.", 67.3481606)]
    [InlineData("risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .",
        "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .", 65.2414427)]
    public void Chrf_keeping_whitespace_matches_test_chrf_keep_whitespace(string hypothesis, string reference, double expected)
    {
        Assert.Equal(expected, new ChrfMetric(new ChrfOptions { Beta = 3, Whitespace = true }).CorpusScore([hypothesis], Single(reference)), Epsilon);
    }

    // sacreBLEU: test/test_chrf.py, test_chrf_sentence_level (chrF2, eps smoothing).
    [Theory]
    [InlineData("Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
        "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.", 39.14078509)]
    [InlineData("Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
        "A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.", 31.22557079)]
    [InlineData("Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
        "Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.", 57.15704367)]
    public void Sentence_chrf_matches_test_chrf_sentence_level(string hypothesis, string reference, double expected)
    {
        Assert.Equal(expected, new ChrfMetric(new ChrfOptions { EpsSmoothing = true }).SentenceScore(hypothesis, [reference]), Epsilon);
    }

    // Computed with sacreBLEU 2.6.0 (mjpost/sacrebleu@f615c72): CHRF() and CHRF(word_order=2).corpus_score.
    [Fact]
    public void Chrf_and_chrf_plus_plus_on_chinese_and_the_readme_example_match_sacrebleu()
    {
        string[] hypotheses = ["模型在GPU上训练了3.5小时。", "我们使用LoRA微调。", "今天天气很好"];
        var references = Single("模型在GPU上训练了三个小时。", "我们用LoRA方法进行微调。", "今天的天气非常好");
        Assert.Equal(44.37704313747493, new ChrfMetric().CorpusScore(hypotheses, references), 1e-9);
        Assert.Equal(38.037465546407084, new ChrfMetric(ChrfOptions.ChrfPlusPlus).CorpusScore(hypotheses, references), 1e-9);

        var readme = PerHypothesisNonNull(ReferenceStreams.Select(s => s.Select(r => r!).ToArray()).ToArray());
        Assert.Equal(59.15310444399262, new ChrfMetric(ChrfOptions.ChrfPlusPlus).CorpusScore(Hypotheses, readme), 1e-9);
        Assert.Equal("chrF2++", ChrfOptions.ChrfPlusPlus.Name);
    }
}
