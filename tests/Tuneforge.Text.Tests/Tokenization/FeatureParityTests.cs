using System.Text.Json.Nodes;

namespace Tuneforge.Text.Tests.Tokenization;

/// <summary>
/// Each supported tokenizer.json feature, on a small tokenizer written for the test, against Hugging Face's tokenizers.
/// </summary>
public sealed class FeatureParityTests
{
    private static readonly string[] Samples =
    [
        "hello world", "the cat, the hat.", "  spaced   out  ", "a1b22c333d4444", "line\nbreak\r\n\r\nend",
        "don't STOP'S", "中文和English混合123", "emoji😀here 👍🏽", "tab\tand\u3000wide", "x<sep>y<sep><sep>z", "",
    ];

    public static TheoryData<string> Behaviors => new() { "Removed", "Isolated", "MergedWithPrevious", "MergedWithNext", "Contiguous" };

    [Theory]
    [MemberData(nameof(Behaviors))]
    public void Split_behaviors_match_Hugging_Face(string behavior)
    {
        SyntheticTokenizer tokenizer = WithMerges();
        tokenizer.PreTokenizer = SyntheticTokenizer.Sequence(
            SyntheticTokenizer.Split(@"\s+", behavior),
            SyntheticTokenizer.ByteLevel());

        AssertSameAsHuggingFace(tokenizer);
    }

    [Theory]
    [MemberData(nameof(Behaviors))]
    public void Inverted_splits_match_Hugging_Face(string behavior)
    {
        SyntheticTokenizer tokenizer = WithMerges();
        tokenizer.PreTokenizer = SyntheticTokenizer.Sequence(
            SyntheticTokenizer.Split(@"\p{L}+", behavior, invert: true),
            SyntheticTokenizer.ByteLevel());

        AssertSameAsHuggingFace(tokenizer);
    }

    [Fact]
    public void Literal_string_patterns_and_digits_match_Hugging_Face()
    {
        SyntheticTokenizer tokenizer = WithMerges();
        tokenizer.PreTokenizer = SyntheticTokenizer.Sequence(
            new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["String"] = "<sep>" }, ["behavior"] = "Isolated", ["invert"] = false },
            new JsonObject { ["type"] = "Digits", ["individual_digits"] = true },
            SyntheticTokenizer.ByteLevel());

        AssertSameAsHuggingFace(tokenizer);
    }

    [Fact]
    public void GPT2_style_byte_level_regex_matches_Hugging_Face()
    {
        SyntheticTokenizer tokenizer = WithMerges();
        tokenizer.PreTokenizer = SyntheticTokenizer.ByteLevel(useRegex: true);

        AssertSameAsHuggingFace(tokenizer);
        using var folder = new TempFolder();
        Assert.Equal("gpt-2", HfTokenizer.Load(tokenizer.WriteTo(folder)).PreTokenizerKind);
    }

    [Fact]
    public void NFKC_normalization_matches_Hugging_Face()
    {
        SyntheticTokenizer tokenizer = WithMerges();
        tokenizer.Normalizer = JsonNode.Parse("""{"type": "Sequence", "normalizers": [{"type": "NFKC"}]}""");

        AssertSameAsHuggingFace(tokenizer, ["ｆｕｌｌｗｉｄｔｈ １２３", "ﬁne ligature", "e\u0301", "①②"]);
    }

    [Fact]
    public void Ignore_merges_takes_whole_vocabulary_words_as_Hugging_Face_does()
    {
        SyntheticTokenizer tokenizer = WithMerges();
        tokenizer.PreTokenizer = SyntheticTokenizer.ByteLevel(useRegex: true);
        tokenizer.ExtraVocabulary.AddRange(["hello", " world", "cat"]);
        tokenizer.IgnoreMerges = true;

        AssertSameAsHuggingFace(tokenizer);
        using var folder = new TempFolder();
        HfTokenizer ours = HfTokenizer.Load(tokenizer.WriteTo(folder));
        Assert.Single(ours.Encode("cat"));
        Assert.Single(ours.Encode("hello world"), id => id == ours.TokenToId("Ġworld"));

        tokenizer.IgnoreMerges = false;
        using var withoutFolder = new TempFolder();
        Assert.Equal(3, HfTokenizer.Load(tokenizer.WriteTo(withoutFolder)).Encode("cat").Length);
    }

    [Fact]
    public void Added_tokens_are_matched_longest_first_as_Hugging_Face_does()
    {
        SyntheticTokenizer tokenizer = WithMerges();
        tokenizer.AddedTokens.AddRange([("<sep>", true), ("<sep><sep>", false), ("<s", false), ("world", false)]);

        AssertSameAsHuggingFace(tokenizer, [.. Samples, "<s<sep>", "helloworld", "<<sep>>"]);
    }

    [Fact]
    public void A_repeated_merge_takes_its_last_rank_as_Hugging_Face_does()
    {
        var tokenizer = new SyntheticTokenizer();
        tokenizer.Merges.AddRange([("e", "l"), ("l", "l"), ("e", "l")]);

        AssertSameAsHuggingFace(tokenizer, ["hell", "yell", "ell", "elle"]);
        using var folder = new TempFolder();
        HfTokenizer ours = HfTokenizer.Load(tokenizer.WriteTo(folder));
        Assert.Equal(2, ours.Merges.Count);
        Assert.Equal([ours.TokenToId("h")!.Value, ours.TokenToId("e")!.Value, ours.TokenToId("ll")!.Value], ours.Encode("hell"));
    }

    private static SyntheticTokenizer WithMerges()
    {
        var tokenizer = new SyntheticTokenizer();
        tokenizer.Merges.AddRange([("h", "e"), ("l", "l"), ("he", "ll"), ("hell", "o"), (" ", "w"), ("o", "r"), (" w", "or"), ("t", "h"), ("th", "e"), (" ", "th"), ("1", "2")]);
        return tokenizer;
    }

    private static void AssertSameAsHuggingFace(SyntheticTokenizer tokenizer, string[]? samples = null)
    {
        using var folder = new TempFolder();
        string directory = tokenizer.WriteTo(folder);
        HfTokenizer ours = HfTokenizer.Load(directory);
        using var reference = new Tokenizers.DotNet.Tokenizer(Path.Combine(directory, "tokenizer.json"));
        foreach (string sample in samples ?? Samples)
        {
            Assert.True(
                Reference.Encode(reference, sample).SequenceEqual(ours.Encode(sample)),
                $"\"{sample}\": expected [{string.Join(",", Reference.Encode(reference, sample))}] got [{string.Join(",", ours.Encode(sample))}]");
        }
    }
}
