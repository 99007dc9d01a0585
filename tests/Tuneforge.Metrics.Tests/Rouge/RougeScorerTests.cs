using Tuneforge.Metrics.Rouge;

namespace Tuneforge.Metrics.Tests.Rouge;

public class RougeScorerTests
{
    private const int Places = 5;
    private static readonly RougeScorer Plain = new(new RougeTokenizerOptions(UseStemmer: false, CjkCharactersAsTokens: false));
    private static readonly RougeScorer Cjk = new(RougeTokenizer.Default);
    private static readonly RougeScorer Stemmed = new(new RougeTokenizerOptions(UseStemmer: true, CjkCharactersAsTokens: false));

    private static void AssertScore(RougeScore actual, double precision, double recall, double f1, int places = 10)
    {
        Assert.Equal(precision, actual.Precision, places);
        Assert.Equal(recall, actual.Recall, places);
        Assert.Equal(f1, actual.F1, places);
    }

    // rouge_score: google-research rouge/rouge_scorer_test.py, testRouge1 (score(target, prediction)).
    [Fact]
    public void Rouge1_matches_rouge_score_testRouge1()
    {
        AssertScore(Plain.Score("testing one two", "testing").Rouge1, 1, 1.0 / 3, 1.0 / 2);
    }

    // rouge_score: rouge_scorer_test.py, testRougeEmpty (all of rouge1, rouge2, rougeL, rougeLsum).
    [Fact]
    public void Empty_prediction_scores_zero_as_in_testRougeEmpty()
    {
        var scores = Plain.Score("testing one two", "");
        foreach (var score in new[] { scores.Rouge1, scores.Rouge2, scores.RougeL, scores.RougeLsum })
            AssertScore(score, 0, 0, 0);
    }

    [Fact]
    public void Empty_reference_scores_zero()
    {
        var scores = Cjk.Score("", "testing one two");
        foreach (var score in new[] { scores.Rouge1, scores.Rouge2, scores.RougeL, scores.RougeLsum })
            AssertScore(score, 0, 0, 0);
    }

    // rouge_score: rouge_scorer_test.py, testRouge2.
    [Fact]
    public void Rouge2_matches_rouge_score_testRouge2()
    {
        AssertScore(Plain.Score("testing one two", "testing one").Rouge2, 1, 1.0 / 2, 2.0 / 3);
    }

    // rouge_score: rouge_scorer_test.py, testRougeLConsecutive and testRougeLNonConsecutive.
    [Theory]
    [InlineData("testing one")]
    [InlineData("testing two")]
    public void RougeL_matches_rouge_score_consecutive_and_not(string prediction)
    {
        AssertScore(Plain.Score("testing one two", prediction).RougeL, 1, 2.0 / 3, 4.0 / 5);
    }

    // rouge_score: rouge_scorer_test.py, testMultipleRougeTypes.
    [Fact]
    public void Rouge1_and_RougeL_together_match_testMultipleRougeTypes()
    {
        var scores = Plain.Score("testing one two", "testing one");
        AssertScore(scores.Rouge1, 1, 2.0 / 3, 4.0 / 5);
        AssertScore(scores.RougeL, 1, 2.0 / 3, 4.0 / 5);
    }

    // rouge_score: rouge_scorer_test.py, testRouge1AgainstRouge155 and testRouge1AgainstRouge155WithStemming
    // (values from ROUGE-1.5.5), on testdata/target.txt and testdata/prediction.txt.
    [Theory]
    [InlineData(false, 0, 0.40741, 0.68750, 0.51163)]
    [InlineData(false, 1, 0.40476, 0.65385, 0.50000)]
    [InlineData(true, 0, 0.40741, 0.68750, 0.51163)]
    [InlineData(true, 1, 0.42857, 0.69231, 0.52941)]
    public void Rouge1_matches_ROUGE_155(bool stem, int line, double recall, double precision, double f1)
    {
        var (target, prediction) = TestLine(line);
        AssertScore((stem ? Stemmed : Plain).Score(target, prediction).Rouge1, precision, recall, f1, Places);
    }

    // rouge_score: rouge_scorer_test.py, testRouge2AgainstRouge155 (and WithStemming: same values).
    [Theory]
    [InlineData(false, 0, 0.30769, 0.53333, 0.39024)]
    [InlineData(false, 1, 0.29268, 0.48000, 0.36364)]
    [InlineData(true, 0, 0.30769, 0.53333, 0.39024)]
    [InlineData(true, 1, 0.29268, 0.48000, 0.36364)]
    public void Rouge2_matches_ROUGE_155(bool stem, int line, double recall, double precision, double f1)
    {
        var (target, prediction) = TestLine(line);
        AssertScore((stem ? Stemmed : Plain).Score(target, prediction).Rouge2, precision, recall, f1, Places);
    }

    // rouge_score: rouge_scorer_test.py, testRougeLAgainstRouge155.
    [Theory]
    [InlineData(0, 0.40741, 0.68750, 0.51163)]
    [InlineData(1, 0.40476, 0.65385, 0.50000)]
    public void RougeL_matches_ROUGE_155(int line, double recall, double precision, double f1)
    {
        var (target, prediction) = TestLine(line);
        AssertScore(Plain.Score(target, prediction).RougeL, precision, recall, f1, Places);
    }

    // rouge_score: rouge_scorer_test.py, testRougeLSumAgainstRouge155WithStemming (pyrouge_files/*_multi.0.txt).
    [Fact]
    public void RougeLsum_with_stemming_matches_ROUGE_155()
    {
        var target = TestFiles.Read("rouge", "target_multi.0.txt");
        var prediction = TestFiles.Read("rouge", "prediction_multi.0.txt");
        AssertScore(Stemmed.Score(target, prediction).RougeLsum, 0.66667, 0.36538, 0.47205, Places);
    }

    // rouge_score: rouge_scorer_test.py, testRougeLsum (union LCS over newline-separated sentences) and its empty cases.
    [Fact]
    public void RougeLsum_matches_testRougeLsum()
    {
        var score = Plain.Score("w1 w2 w3 w4 w5", "w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5").RougeLsum;
        AssertScore(score, 0.4, 0.8, 0.5333, 3);
        AssertScore(Plain.Score("w1 w2 w3 w4 w5", "").RougeLsum, 0, 0, 0);
        AssertScore(Plain.Score("", "w1").RougeLsum, 0, 0, 0);
        AssertScore(Plain.Score("w1 w2 w3 w4 w5", "/").RougeLsum, 0, 0, 0);
    }

    // rouge_score: rouge_scorer_test.py, testLcsTable (indices into the reference chosen by the backtrack).
    [Fact]
    public void Lcs_backtrack_matches_testLcsTable()
    {
        string[] reference = ["1", "2", "3", "4", "5"];
        Assert.Equal([1, 2, 3], LongestCommonSubsequence.ReferenceIndices(reference, ["2", "5", "3", "4"]));
        Assert.Equal(3, LongestCommonSubsequence.Length(reference, ["2", "5", "3", "4"]));
        Assert.Empty(LongestCommonSubsequence.ReferenceIndices(reference, ["8", "9"]));
    }

    // rouge_score: rouge_scorer_test.py, testUnionLcs (the example of section 3.2 of Lin, 2004).
    [Fact]
    public void Union_lcs_matches_testUnionLcs()
    {
        string[] reference = ["1", "2", "3", "4", "5"];
        var union = LongestCommonSubsequence.Union(reference, [["1", "2", "6", "7", "8"], ["1", "3", "8", "9", "5"]]);
        Assert.Equal(["1", "2", "3", "5"], union);
    }

    [Fact]
    public void Identical_texts_score_one_everywhere()
    {
        const string text = "The quick brown fox jumps over the lazy dog.\n敏捷的棕色狐狸跳过了懒狗。";
        var scores = Cjk.Score(text, text);
        foreach (var score in new[] { scores.Rouge1, scores.Rouge2, scores.RougeL, scores.RougeLsum })
            AssertScore(score, 1, 1, 1);
    }

    [Fact]
    public void Chinese_is_scored_per_character_instead_of_zero()
    {
        // 4 reference characters, 4 predicted, 2 shared (我, 爱) and 1 shared bigram (我爱) out of 3.
        var cjk = Cjk.Score("我爱北京", "我爱上海");
        AssertScore(cjk.Rouge1, 0.5, 0.5, 0.5);
        AssertScore(cjk.Rouge2, 1.0 / 3, 1.0 / 3, 1.0 / 3);
        AssertScore(cjk.RougeL, 0.5, 0.5, 0.5);

        // rouge_score itself drops every non-ASCII character, so the same pair scores 0.
        AssertScore(Plain.Score("我爱北京", "我爱上海").Rouge1, 0, 0, 0);
    }

    [Fact]
    public void Mixed_Chinese_and_English_shares_tokens_across_scripts()
    {
        var tokens = RougeTokenizer.Default.Tokenize("用PyTorch训练LoRA，学习率2e-4。");
        Assert.Equal(["用", "pytorch", "训", "练", "lora", "学", "习", "率", "2e", "4"], tokens);
    }

    [Fact]
    public void Japanese_and_Korean_letters_are_tokens_and_CJK_punctuation_separates()
    {
        Assert.Equal(["カ", "タ", "ー", "ひ", "ら", "한", "국", "어"], RougeTokenizer.Default.Tokenize("「カター」、ひら！한국어？"));
    }

    [Fact]
    public void Stemming_applies_only_to_tokens_longer_than_three_characters()
    {
        var tokenizer = new RougeTokenizer(new RougeTokenizerOptions(UseStemmer: true));
        Assert.Equal(["run", "ran", "run", "die", "die"], tokenizer.Tokenize("Running ran runs dies dying"));
        Assert.Equal(["die", "ies"], tokenizer.Tokenize("dies ies"));
    }

    private static (string Target, string Prediction) TestLine(int line)
    {
        var targets = File.ReadAllLines(TestFiles.Path("rouge", "target.txt"));
        var predictions = File.ReadAllLines(TestFiles.Path("rouge", "prediction.txt"));
        return (targets[line], predictions[line]);
    }
}
