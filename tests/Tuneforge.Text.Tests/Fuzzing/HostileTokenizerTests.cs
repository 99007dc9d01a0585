using System.Text;
using System.Text.Json.Nodes;

namespace Tuneforge.Text.Tests.Fuzzing;

/// <summary>One test per class of finding of the tokenizer.json fuzz campaign: refused with a TokenizerLoadException
/// naming the file and the place, instead of an exception from deep inside or a table sized by a corrupt id.</summary>
public sealed class HostileTokenizerTests
{
    static SyntheticTokenizer Tokenizer()
    {
        var tokenizer = new SyntheticTokenizer();
        tokenizer.Merges.Add(("a", "b"));
        return tokenizer;
    }

    [Fact]
    public void A_tokenizer_json_that_is_not_UTF8_is_refused_with_line_and_column()
    {
        using var folder = new TempFolder();
        var bytes = Encoding.UTF8.GetBytes(Tokenizer().ToJson().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        var at = bytes.AsSpan().IndexOf("\"vocab\""u8) + 1; // inside a property name, as the fuzz case was
        bytes[at] = 0xFF;
        File.WriteAllBytes(Path.Combine(folder.Path, "tokenizer.json"), bytes);
        var line = 1 + bytes.AsSpan(0, at).Count((byte)'\n');
        var column = at - bytes.AsSpan(0, at).LastIndexOf((byte)'\n');

        var error = Assert.Throws<TokenizerLoadException>(() => HfTokenizer.Load(folder.Path));
        Assert.Equal($"{Path.Combine(folder.Path, "tokenizer.json")}:{line}:{column}: not UTF-8 text (byte 0xFF). Re-download the file; tokenizer files are UTF-8 JSON.", error.Message);
    }

    [Fact]
    public void An_id_far_beyond_the_tokens_defined_is_refused_before_tables_are_sized_by_it()
    {
        using var folder = new TempFolder();
        JsonObject json = Tokenizer().ToJson();
        json["model"]!["vocab"]!["ab"] = int.MaxValue;
        folder.Write("tokenizer.json", json.ToJsonString());

        var error = Assert.Throws<TokenizerLoadException>(() => HfTokenizer.Load(folder.Path));
        Assert.EndsWith("tokenizer.json: model.vocab: the largest id, 2147483647, is far beyond the 257 tokens the file defines (a tokenizer's ids run from 0 to about its size); the file is corrupt.", error.Message);
    }
}
