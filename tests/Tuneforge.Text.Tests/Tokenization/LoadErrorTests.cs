using System.Text.Json.Nodes;

namespace Tuneforge.Text.Tests.Tokenization;

/// <summary>Bad tokenizer folders are refused with a message naming the file, the place and the problem.</summary>
public sealed class LoadErrorTests
{
    [Fact]
    public void A_missing_folder_is_named()
    {
        var error = Assert.Throws<TokenizerLoadException>(() => HfTokenizer.Load("/nonexistent/tokenizer-folder"));
        Assert.Contains("/nonexistent/tokenizer-folder: no such tokenizer folder", error.Message);
    }

    [Fact]
    public void A_folder_without_tokenizer_json_says_what_is_needed()
    {
        using var folder = new TempFolder();
        folder.Write("vocab.json", "{}");

        var error = Assert.Throws<TokenizerLoadException>(() => HfTokenizer.Load(folder.Path));
        Assert.Contains("tokenizer.json: not found", error.Message);
    }

    [Fact]
    public void Malformed_json_is_reported_with_line_and_column()
    {
        using var folder = new TempFolder();
        folder.Write("tokenizer.json", "{\n  \"model\": {\n    \"type\": \"BPE\",,\n  }\n}");

        var error = Assert.Throws<TokenizerLoadException>(() => HfTokenizer.Load(folder.Path));
        Assert.Contains("tokenizer.json:3:19: not valid JSON", error.Message);
    }

    [Fact]
    public void A_non_BPE_model_is_refused_by_name() =>
        AssertRefused(json => json["model"]!["type"] = "Unigram", "model.type: the 'Unigram' model is not supported");

    [Fact]
    public void Byte_fallback_is_refused_by_name() =>
        AssertRefused(json => json["model"]!["byte_fallback"] = true, "model.byte_fallback: byte_fallback");

    [Fact]
    public void A_merge_of_unknown_tokens_names_its_index() =>
        AssertRefused(
            json => json["model"]!["merges"]!.AsArray().Add("q zz"),
            "model.merges[11]: \"q zz\" needs \"zz\", which is not in model.vocab");

    [Fact]
    public void A_malformed_merge_names_its_index() =>
        AssertRefused(
            json => json["model"]!["merges"]!.AsArray().Insert(0, "abc"),
            "model.merges[0]: expected \"left right\"");

    [Fact]
    public void Pair_merges_are_read_like_string_merges()
    {
        var tokenizer = new SyntheticTokenizer();
        tokenizer.Merges.Add(("a", "b"));
        JsonObject json = tokenizer.ToJson();
        json["model"]!["merges"] = JsonNode.Parse("""[["a", "b"]]""");
        using var folder = new TempFolder();
        folder.Write("tokenizer.json", json.ToJsonString());

        HfTokenizer loaded = HfTokenizer.Load(folder.Path);
        Assert.Equal([loaded.TokenToId("ab")!.Value], loaded.Encode("ab"));
    }

    [Fact]
    public void An_added_token_with_lstrip_is_refused_by_name() =>
        AssertRefused(
            json => json["added_tokens"]!.AsArray().Add(JsonNode.Parse("""{"id": 300, "content": "<mask>", "lstrip": true, "special": true}""")),
            "added_tokens[0].lstrip: lstrip=true on added token \"<mask>\" is not supported");

    [Fact]
    public void An_unsupported_normalizer_is_refused_by_name() =>
        AssertRefused(
            json => json["normalizer"] = JsonNode.Parse("""{"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Lowercase"}]}"""),
            "normalizer.normalizers[1].type: the 'Lowercase' normalizer is not supported");

    [Fact]
    public void A_sentencepiece_pre_tokenizer_is_refused_by_name() =>
        AssertRefused(
            json => json["pre_tokenizer"] = JsonNode.Parse("""{"type": "Metaspace", "replacement": "▁"}"""),
            "pre_tokenizer.type: the 'Metaspace' pre-tokenizer is not supported");

    [Fact]
    public void A_tokenizer_that_is_not_byte_level_is_refused() =>
        AssertRefused(
            json => json["pre_tokenizer"] = SyntheticTokenizer.Split(@"\s+", "Isolated"),
            "pre_tokenizer: a tokenizer without a final ByteLevel pre-tokenizer");

    [Fact]
    public void A_regex_dotnet_cannot_compile_is_refused_with_its_path() =>
        AssertRefused(
            json => json["pre_tokenizer"] = SyntheticTokenizer.Sequence(SyntheticTokenizer.Split(@"\p{L}++(", "Isolated"), SyntheticTokenizer.ByteLevel()),
            "pre_tokenizer.pretokenizers[0].pattern: a regex that .NET cannot compile");

    [Fact]
    public void An_unknown_split_behavior_is_refused_by_name() =>
        AssertRefused(
            json => json["pre_tokenizer"] = SyntheticTokenizer.Sequence(SyntheticTokenizer.Split(@"\s", "Shuffled"), SyntheticTokenizer.ByteLevel()),
            "pre_tokenizer.pretokenizers[0].behavior: the split behavior 'Shuffled' is not supported");

    [Fact]
    public void A_missing_decoder_is_refused() =>
        AssertRefused(json => json.Remove("decoder"), "decoder: a missing decoder");

    [Fact]
    public void Two_tokens_with_one_id_are_refused() =>
        AssertRefused(json => json["model"]!["vocab"]!["zzz"] = 5, "model.vocab: id 5 is given to both");

    [Fact]
    public void A_vocabulary_id_that_is_not_an_integer_is_refused() =>
        AssertRefused(json => json["model"]!["vocab"]!["zzz"] = "7", "model.vocab[\"zzz\"]: expected a token id");

    [Fact]
    public void A_config_token_missing_from_the_vocabulary_is_named()
    {
        var tokenizer = new SyntheticTokenizer { Config = new JsonObject { ["bos_token"] = "<s>" } };
        using var folder = new TempFolder();

        var error = Assert.Throws<TokenizerLoadException>(() => HfTokenizer.Load(tokenizer.WriteTo(folder)));
        Assert.Contains("tokenizer_config.json: bos_token: \"<s>\" is not a token of tokenizer.json", error.Message);
    }

    [Fact]
    public void A_malformed_config_is_reported_with_its_position()
    {
        var tokenizer = new SyntheticTokenizer();
        using var folder = new TempFolder();
        tokenizer.WriteTo(folder);
        folder.Write("tokenizer_config.json", "{\"add_bos_token\": yes}");

        var error = Assert.Throws<TokenizerLoadException>(() => HfTokenizer.Load(folder.Path));
        Assert.Contains("tokenizer_config.json:1:19: not valid JSON", error.Message);
    }

    [Fact]
    public void Config_tokens_may_be_objects_and_chat_templates_may_be_named_lists()
    {
        var tokenizer = new SyntheticTokenizer();
        tokenizer.AddedTokens.Add(("<s>", true));
        tokenizer.Config = JsonNode.Parse("""
            {"bos_token": {"__type": "AddedToken", "content": "<s>"}, "add_bos_token": true,
             "chat_template": [{"name": "tool_use", "template": "x"}, {"name": "default", "template": "{{ messages }}"}]}
            """)!.AsObject();
        using var folder = new TempFolder();

        HfTokenizer loaded = HfTokenizer.Load(tokenizer.WriteTo(folder));
        Assert.Equal(256 + 0, loaded.BosId);
        Assert.True(loaded.AddBosToken);
        Assert.Equal("{{ messages }}", loaded.ChatTemplateJinja);
    }

    private static void AssertRefused(Action<JsonObject> spoil, string expected)
    {
        var tokenizer = new SyntheticTokenizer();
        tokenizer.Merges.AddRange([("h", "e"), ("l", "l"), ("he", "ll"), ("hell", "o"), (" ", "w"), ("o", "r"), (" w", "or"), ("t", "h"), ("th", "e"), (" ", "th"), ("1", "2")]);
        JsonObject json = tokenizer.ToJson();
        spoil(json);
        using var folder = new TempFolder();
        string path = folder.Write("tokenizer.json", json.ToJsonString());

        var error = Assert.Throws<TokenizerLoadException>(() => HfTokenizer.Load(folder.Path));
        Assert.Contains($"{path}: {expected}", error.Message);
    }
}
