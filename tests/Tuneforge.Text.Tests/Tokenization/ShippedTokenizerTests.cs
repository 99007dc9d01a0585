namespace Tuneforge.Text.Tests.Tokenization;

/// <summary>What the shipped DeepSeek and Qwen3 tokenizers must report (the values export and templates rely on).</summary>
[Collection(RealTokenizersCollection.Name)]
public sealed class ShippedTokenizerTests(RealTokenizers tokenizers)
{
    [Fact]
    public void DeepSeek_reports_its_vocabulary_special_tokens_and_pre_tokenizer()
    {
        HfTokenizer deepSeek = tokenizers.DeepSeek;

        Assert.Equal(128_815, deepSeek.VocabSize);
        Assert.Equal(128_815, deepSeek.TokensById.Count);
        Assert.Equal(127_741, deepSeek.Merges.Count);
        Assert.Equal(("Ġ", "t"), deepSeek.Merges[0]);
        Assert.Equal(818, deepSeek.AddedTokens.Count);
        Assert.Equal("deepseek-v3", deepSeek.PreTokenizerKind);
        Assert.Equal((0, 1, 1), (deepSeek.BosId, deepSeek.EosId, deepSeek.PadId));
        Assert.Equal("<｜begin▁of▁sentence｜>", deepSeek.BosToken);
        Assert.Equal("<｜end▁of▁sentence｜>", deepSeek.EosToken);
        Assert.True(deepSeek.AddBosToken);
        Assert.Contains("<｜Assistant｜>", deepSeek.ChatTemplateJinja);
    }

    [Fact]
    public void DeepSeek_token_types_separate_control_from_user_defined_tokens()
    {
        HfTokenizer deepSeek = tokenizers.DeepSeek;

        Assert.Equal(TokenType.Control, deepSeek.TokenTypes[0]);
        Assert.Equal(TokenType.UserDefined, deepSeek.TokenTypes[128_803]);
        Assert.Equal(TokenType.Normal, deepSeek.TokenTypes[5_000]);
        Assert.Equal(128_803, deepSeek.TokenToId("<｜User｜>"));
        Assert.Equal(128_804, deepSeek.TokenToId("<｜Assistant｜>"));
        Assert.Equal("<｜Assistant｜>", deepSeek.IdToToken(128_804));
        Assert.Equal("Ġworld", deepSeek.IdToToken(2_058));
        Assert.Null(deepSeek.TokenToId("<|User|>"));
        Assert.Null(deepSeek.IdToToken(128_815));
    }

    [Fact]
    public void Qwen3_reports_its_vocabulary_special_tokens_and_pre_tokenizer()
    {
        HfTokenizer qwen = tokenizers.Qwen;

        Assert.Equal(151_669, qwen.VocabSize);
        Assert.Equal(151_387, qwen.Merges.Count);
        Assert.Equal(("Ġ", "Ġ"), qwen.Merges[0]);
        Assert.Equal(26, qwen.AddedTokens.Count);
        Assert.Equal("qwen2", qwen.PreTokenizerKind);
        Assert.Null(qwen.BosId);
        Assert.Equal(151_645, qwen.EosId);
        Assert.Equal(151_643, qwen.PadId);
        Assert.False(qwen.AddBosToken);
        Assert.Equal(151_667, qwen.TokenToId("<think>"));
        Assert.Equal(TokenType.UserDefined, qwen.TokenTypes[151_667]);
        Assert.Equal(TokenType.Control, qwen.TokenTypes[151_644]);
    }

    [Fact]
    public void Encode_gives_the_pinned_ids_and_adds_no_BOS()
    {
        Assert.Equal([19923, 2058], tokenizers.DeepSeek.Encode("Hello world"));
        Assert.Equal([30594, 303, 3427, 1175], tokenizers.DeepSeek.Encode("你好，世界！"));
        Assert.Equal([6895, 18009], tokenizers.DeepSeek.Encode("123456"));
        Assert.Equal([9707, 1879], tokenizers.Qwen.Encode("Hello world"));
        Assert.Equal([16, 17, 18, 19, 20, 21], tokenizers.Qwen.Encode("123456"));
        Assert.Empty(tokenizers.DeepSeek.Encode(""));
    }

    [Fact]
    public void Added_tokens_in_text_become_single_ids_and_lookalikes_do_not()
    {
        Assert.Equal([128803, 6366, 128804], tokenizers.DeepSeek.Encode("<｜User｜>hi<｜Assistant｜>"));
        Assert.Equal([151667, 198], tokenizers.Qwen.Encode("<think>\n"));
        Assert.DoesNotContain(128803, tokenizers.DeepSeek.Encode("<|User|>hi"));
    }

    [Fact]
    public void Decode_keeps_or_skips_special_tokens_and_drops_unknown_ids()
    {
        HfTokenizer deepSeek = tokenizers.DeepSeek;
        int[] ids = [0, 128803, 6366, 1];

        Assert.Equal("<｜begin▁of▁sentence｜><｜User｜>hi<｜end▁of▁sentence｜>", deepSeek.Decode(ids));
        Assert.Equal("<｜User｜>hi", deepSeek.Decode(ids, skipSpecialTokens: true));
        Assert.Equal("hi", deepSeek.Decode([6366, 999_999, -1]));
    }

    [Fact]
    public void A_character_split_across_tokens_decodes_whole_and_a_broken_one_as_replacement()
    {
        HfTokenizer qwen = tokenizers.Qwen;
        int[] ids = qwen.Encode("𩸽");

        Assert.Equal(3, ids.Length);
        Assert.Equal("𩸽", qwen.Decode(ids));
        Assert.Equal("\uFFFD", qwen.Decode(ids[..1]));
    }

    [Fact]
    public void A_lone_surrogate_encodes_as_the_replacement_character()
    {
        Assert.Equal(tokenizers.Qwen.Encode("a\uFFFDb"), tokenizers.Qwen.Encode("a\uD800b"));
        Assert.Equal(tokenizers.DeepSeek.Encode("\uFFFD"), tokenizers.DeepSeek.Encode("\uDC00"));
    }
}
