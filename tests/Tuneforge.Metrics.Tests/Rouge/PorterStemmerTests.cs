using Tuneforge.Metrics.Rouge;

namespace Tuneforge.Metrics.Tests.Rouge;

public class PorterStemmerTests
{
    // NLTK: nltk/test/unit/test_stem.py, PorterTest.test_oed_bug (nltk issue #1581).
    [Fact]
    public void Oed_stems_to_o_as_in_nltk_test_oed_bug()
    {
        Assert.Equal("o", PorterStemmer.Stem("oed"));
    }

    // Examples of Porter (1980), as NLTK's porter.py docstrings list them; rows where NLTK_EXTENSIONS
    // departs from the paper carry NLTK's value (ties -> tie, happy -> happi, sky -> sky).
    [Theory]
    [InlineData("caresses", "caress")]
    [InlineData("ponies", "poni")]
    [InlineData("ties", "tie")]
    [InlineData("cats", "cat")]
    [InlineData("agreed", "agre")]
    [InlineData("plastered", "plaster")]
    [InlineData("motoring", "motor")]
    [InlineData("hopping", "hop")]
    [InlineData("falling", "fall")]
    [InlineData("filing", "file")]
    [InlineData("happy", "happi")]
    [InlineData("sky", "sky")]
    [InlineData("relational", "relat")]
    [InlineData("generalization", "gener")]
    [InlineData("dying", "die")]
    [InlineData("enjoy", "enjoy")]
    [InlineData("generously", "gener")]
    [InlineData("controll", "control")]
    public void Stems_paper_examples_as_nltk(string word, string stem)
    {
        Assert.Equal(stem, PorterStemmer.Stem(word));
    }

    // TestData/porter/nltk-3.8-porter-stems.tsv: 4,083 words stemmed by NLTK 3.8's PorterStemmer (see its README).
    [Fact]
    public void Agrees_with_nltk_on_four_thousand_words()
    {
        var mismatches = File.ReadLines(TestFiles.Path("porter", "nltk-3.8-porter-stems.tsv"))
            .Select(line => line.Split('\t'))
            .Where(parts => PorterStemmer.Stem(parts[0]) != parts[1])
            .Select(parts => $"{parts[0]}: nltk {parts[1]}, ours {PorterStemmer.Stem(parts[0])}")
            .ToList();
        Assert.Empty(mismatches);
        Assert.Equal(4083, File.ReadLines(TestFiles.Path("porter", "nltk-3.8-porter-stems.tsv")).Count());
    }
}
