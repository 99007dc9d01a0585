using Tuneforge.Metrics.Bleu;
using static Tuneforge.Metrics.Tests.Bleu.SacreBleuExamples;

namespace Tuneforge.Metrics.Tests.Bleu;

public class BleuMetricTests
{
    private const double Epsilon = 1e-8;

    // sacreBLEU "raw_corpus_bleu": tokenize none, floor smoothing 0.01, effective order.
    private static BleuMetric Raw(double smoothValue) => new(new BleuOptions
    {
        Tokenizer = BleuTokenizerKind.None, Smoothing = BleuSmoothing.Floor, SmoothValue = smoothValue, EffectiveOrder = true,
    });

    private static IReadOnlyList<IReadOnlyList<string?>> Single(params string[] references) =>
        references.Select(r => (IReadOnlyList<string?>)new string?[] { r }).ToList();

    // sacreBLEU: test/test_bleu.py, test_corpus_bleu (default settings, and tokenize 13a / none, smooth none).
    [Theory]
    [InlineData(BleuTokenizerKind.Thirteen13a, BleuSmoothing.Exp, 48.530827)]
    [InlineData(BleuTokenizerKind.None, BleuSmoothing.Exp, 49.1919566)]
    [InlineData(BleuTokenizerKind.Thirteen13a, BleuSmoothing.None, 48.530827)]
    public void Corpus_bleu_matches_sacrebleu_test_corpus_bleu(BleuTokenizerKind tokenizer, BleuSmoothing smoothing, double expected)
    {
        var metric = new BleuMetric(new BleuOptions { Tokenizer = tokenizer, Smoothing = smoothing });
        Assert.Equal(expected, metric.CorpusScore(Hypotheses, PerHypothesis(ReferenceStreams)).Score, Epsilon);
    }

    // sacreBLEU: README, "Using SacreBLEU from Python": the full printed line.
    [Fact]
    public void Default_bleu_prints_like_the_sacrebleu_readme()
    {
        var score = new BleuMetric().CorpusScore(Hypotheses, PerHypothesis(ReferenceStreams));
        Assert.Equal("BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)", score.ToString());
        Assert.Equal("nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp", new BleuOptions().Signature(2));
    }

    // sacreBLEU: README, "Variable Number of References" (a missing first reference, given as "" or None).
    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Variable_number_of_references_matches_the_readme(string? missing)
    {
        string?[][] streams = [[missing, "It was not unexpected.", "The man bit him first."], ReferenceStreams[1]];
        var score = new BleuMetric().CorpusScore(Hypotheses, PerHypothesis(streams));
        Assert.Equal("BLEU = 29.44 82.4/42.9/27.3/12.5 (BP = 0.889 ratio = 0.895 hyp_len = 17 ref_len = 19)", score.ToString());
    }

    // sacreBLEU: test/test_bleu.py, test_corpus_bleu: empty hypotheses are kept and score 0.
    [Fact]
    public void Empty_hypotheses_score_zero()
    {
        Assert.Equal(0.0, new BleuMetric().CorpusScore(["", "", ""], PerHypothesis(ReferenceStreams)).Score);
    }

    // sacreBLEU: test/test_bleu.py, test_max_ngram_order.
    [Theory]
    [InlineData(1, "77.65")]
    [InlineData(2, "60.50")]
    [InlineData(3, "53.93")]
    [InlineData(4, "48.53")]
    [InlineData(5, "46.14")]
    [InlineData(6, "43.28")]
    public void Max_ngram_order_matches_test_max_ngram_order(int order, string expected)
    {
        var score = new BleuMetric(new BleuOptions { MaxNGramOrder = order }).CorpusScore(Hypotheses, PerHypothesis(ReferenceStreams));
        Assert.Equal(expected, score.Score.ToString("F2", System.Globalization.CultureInfo.InvariantCulture));
    }

    // sacreBLEU: test/test_bleu.py, test_raw_bleu and test_effective_order.
    [Theory]
    [InlineData("this is a test", "this is a test", 1.0)]
    [InlineData("this is a fest", "this is a test", 0.223606797749979)]
    [InlineData("test", "a test", 0.3678794411714425)]
    [InlineData("a test", "a test", 1.0)]
    [InlineData("a little test", "a test", 0.03218297948685433)]
    public void Raw_bleu_matches_test_raw_bleu_and_test_effective_order(string hypothesis, string reference, double expected)
    {
        Assert.Equal(expected, Raw(0.01).CorpusScore([hypothesis], Single(reference)).Score / 100, Epsilon);
    }

    // sacreBLEU: test/test_bleu.py, test_raw_bleu case 1: no matches at all returns 0 (#141).
    [Fact]
    public void No_matching_ngram_scores_zero()
    {
        Assert.Equal(0.0, Raw(0.01).CorpusScore(["this is a test", "another test"], Single("ref1", "ref2")).Score);
    }

    // sacreBLEU: test/test_bleu.py, test_statistics.
    [Fact]
    public void Statistics_match_test_statistics()
    {
        var score = Raw(0.01).CorpusScore(["am I am a character sequence"], Single("I am a symbol string sequence a a"));
        Assert.Equal([4, 2, 1, 0], score.Counts);
        Assert.Equal([6, 5, 4, 3], score.Totals);
    }

    // sacreBLEU: test/test_bleu.py, test_offset (floor smoothing 0 and the default 0.1).
    [Fact]
    public void Floor_smoothing_matches_test_offset()
    {
        string[] hyp = ["am I am a character sequence"];
        var refs = Single("I am a symbol string sequence a a");
        Assert.Equal(0.0, Raw(0.0).CorpusScore(hyp, refs).Score / 100, Epsilon);
        var defaultFloor = new BleuMetric(new BleuOptions { Tokenizer = BleuTokenizerKind.None, Smoothing = BleuSmoothing.Floor, EffectiveOrder = true });
        Assert.Equal(0.1555722182, defaultFloor.CorpusScore(hyp, refs).Score / 100, Epsilon);
    }

    // sacreBLEU: test/test_bleu.py, test_scoring (compute_bleu from statistics, no smoothing).
    [Fact]
    public void Compute_from_statistics_matches_test_scoring()
    {
        var statistics = new BleuStatistics(11, 11, [9, 7, 5, 3], [10, 8, 6, 4]);
        Assert.Equal(0.8375922397, BleuMetric.Compute(statistics, BleuSmoothing.None, null, false, 4).Score / 100, Epsilon);
    }

    // sacreBLEU: test/test_bleu.py, test_degenerate_statistics (floor smoothing with various offsets).
    [Theory]
    [InlineData(new[] { 0, 0, 0, 0 }, new[] { 4, 4, 2, 1 }, 0, 1, 0.0)]
    [InlineData(new[] { 0, 0, 0, 0 }, new[] { 10, 11, 12, 0 }, 14, 10, 0.0)]
    [InlineData(new[] { 0, 0, 0, 0 }, new[] { 0, 0, 0, 0 }, 0, 0, 0.0)]
    [InlineData(new[] { 6, 5, 4, 0 }, new[] { 6, 5, 4, 3 }, 6, 6, 0.0)]
    [InlineData(new[] { 0, 0, 0, 0 }, new[] { 0, 0, 0, 0 }, 0, 0, 0.1)]
    [InlineData(new[] { 0, 0, 0, 0 }, new[] { 0, 0, 0, 0 }, 1, 5, 0.01)]
    public void Degenerate_statistics_score_zero(int[] correct, int[] total, int sysLen, int refLen, double offset)
    {
        var score = BleuMetric.Compute(new BleuStatistics(sysLen, refLen, correct, total), BleuSmoothing.Floor, offset, false, 4);
        Assert.Equal(0.0, score.Score);
    }

    // sacreBLEU: test/test_sentence_bleu.py, test_api_sentence_bleu (issue #98 example; effective order on).
    [Theory]
    [InlineData(BleuSmoothing.Exp, null, BleuTokenizerKind.Thirteen13a, 8.493)]
    [InlineData(BleuSmoothing.None, null, BleuTokenizerKind.Thirteen13a, 0.0)]
    [InlineData(BleuSmoothing.Floor, null, BleuTokenizerKind.Thirteen13a, 4.51688)]
    [InlineData(BleuSmoothing.Floor, 0.1, BleuTokenizerKind.Thirteen13a, 4.51688)]
    [InlineData(BleuSmoothing.Floor, 0.5, BleuTokenizerKind.Thirteen13a, 10.10)]
    [InlineData(BleuSmoothing.AddK, null, BleuTokenizerKind.Thirteen13a, 14.882)]
    [InlineData(BleuSmoothing.AddK, 1.0, BleuTokenizerKind.Thirteen13a, 14.882)]
    [InlineData(BleuSmoothing.AddK, 2.0, BleuTokenizerKind.Thirteen13a, 21.389)]
    [InlineData(BleuSmoothing.Exp, null, BleuTokenizerKind.None, 7.347)]
    public void Sentence_bleu_matches_test_sentence_bleu(BleuSmoothing smoothing, double? value, BleuTokenizerKind tokenizer, double expected)
    {
        var metric = new BleuMetric(new BleuOptions { Smoothing = smoothing, SmoothValue = value, Tokenizer = tokenizer, EffectiveOrder = true });
        var score = metric.SentenceScore("Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;",
            ["producţia de zahăr brut se exprimă în zahăr alb;"]);
        Assert.Equal(expected, score.Score, 1e-3);
    }

    // sacreBLEU: test/test_sentence_bleu.py, test_api_sentence_bleu_zero (issue #141): every smoothing gives 0.
    [Theory]
    [InlineData(BleuSmoothing.Exp)]
    [InlineData(BleuSmoothing.None)]
    [InlineData(BleuSmoothing.Floor)]
    [InlineData(BleuSmoothing.AddK)]
    public void Sentence_without_matches_scores_zero(BleuSmoothing smoothing)
    {
        var metric = new BleuMetric(new BleuOptions { Smoothing = smoothing, EffectiveOrder = true });
        Assert.Equal(0.0, metric.SentenceScore("this is a cat", ["okay thanks"]).Score);
    }

    // Computed with sacreBLEU 2.6.0 (mjpost/sacrebleu@f615c72): BLEU(tokenize='zh') and BLEU(tokenize='13a').corpus_score.
    [Fact]
    public void Chinese_corpus_bleu_with_zh_tokenizer_matches_sacrebleu()
    {
        string[] hypotheses = ["模型在GPU上训练了3.5小时。", "我们使用LoRA微调。", "今天天气很好"];
        var references = Single("模型在GPU上训练了三个小时。", "我们用LoRA方法进行微调。", "今天的天气非常好");
        var zh = new BleuMetric(new BleuOptions { Tokenizer = BleuTokenizerKind.Zh }).CorpusScore(hypotheses, references);
        Assert.Equal(40.523126268357025, zh.Score, 1e-9);
        Assert.Equal("BLEU = 40.52 88.5/65.2/40.0/29.4 (BP = 0.794 ratio = 0.812 hyp_len = 26 ref_len = 32)", zh.ToString());
        // 13a sees each Chinese sentence as one word, so nothing matches: why zh is picked for Chinese.
        Assert.Equal(0.0, new BleuMetric().CorpusScore(hypotheses, references).Score);
    }

    [Fact]
    public void Identical_corpus_scores_one_hundred()
    {
        string[] texts = ["The quick brown fox jumps over the lazy dog.", "我爱北京天安门，天安门上太阳升。"];
        var metric = new BleuMetric(new BleuOptions { Tokenizer = BleuTokenizerKind.Zh });
        Assert.Equal(100.0, metric.CorpusScore(texts, texts.Select(t => (IReadOnlyList<string?>)new string?[] { t }).ToList()).Score, 1e-9);
    }
}
