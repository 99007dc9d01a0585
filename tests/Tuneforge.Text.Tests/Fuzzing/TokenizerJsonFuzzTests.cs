using System.Text;
using System.Text.Json.Nodes;
using Tuneforge.TestSupport.Fuzzing;
using Xunit.Abstractions;

namespace Tuneforge.Text.Tests.Fuzzing;

/// <summary>Thousands of seeded mutations of small valid tokenizer.json files: each loads (and then encodes and decodes a
/// sentence) or is refused with a <see cref="TokenizerLoadException"/>; none crashes, hangs or allocates beyond its size.</summary>
public sealed class TokenizerJsonFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Tokenizer_json_files_load_or_are_refused_with_a_TokenizerLoadException()
    {
        var report = new FuzzCampaign("tokenizer.json", [Plain(), WithSplitAndNormalizer()], e => e is TokenizerLoadException) { FileName = "tokenizer.json" }
            .Run(path =>
            {
                var tokenizer = HfTokenizer.Load(Path.GetDirectoryName(path)!);
                var ids = tokenizer.Encode("Hello, 世界 42 <|end|>");
                _ = tokenizer.Decode(ids);
            });
        output.WriteLine(report.Describe());
        Assert.True(report.Findings == 0, report.Describe());
        Assert.True(report.Accepted >= 2 && report.TypedErrors > report.Cases / 2, report.Summary);
    }

    static byte[] Plain()
    {
        var tokenizer = new SyntheticTokenizer();
        tokenizer.Merges.AddRange([("H", "e"), ("l", "l"), ("He", "ll"), ("o", ",")]);
        tokenizer.AddedTokens.Add(("<|end|>", true));
        return Encoding.UTF8.GetBytes(tokenizer.ToJson().ToJsonString());
    }

    static byte[] WithSplitAndNormalizer()
    {
        var tokenizer = new SyntheticTokenizer
        {
            PreTokenizer = SyntheticTokenizer.Sequence(SyntheticTokenizer.Split(@"\s+|\p{N}{1,3}", "Isolated"), SyntheticTokenizer.ByteLevel()),
            Normalizer = JsonNode.Parse("""{"type": "NFC"}"""),
        };
        tokenizer.Merges.AddRange([("世", "界"), ("4", "2")]);
        tokenizer.AddedTokens.Add(("<|end|>", true));
        return Encoding.UTF8.GetBytes(tokenizer.ToJson().ToJsonString());
    }
}
