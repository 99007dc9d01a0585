using System.Text.Json;
using Tuneforge.Data.Inspection;
using Tuneforge.Data.Records;
using Tuneforge.Data.Training;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Data.Tests.Inspection;

public class InspectTests
{
    static readonly string Tokenizer = RepositoryFiles.Path("data", "tokenizers", "deepseek-r1");

    static string WriteTrain(Workspace w, params (string Question, string Answer)[] records)
    {
        var path = Path.Combine(w.Root, "split", "train.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllLines(path, records.Select((r, i) => System.Text.Encoding.UTF8.GetString(RecordJson.ToUtf8(
            new CanonicalRecord($"r{i}", [ChatMessage.User(r.Question), ChatMessage.Assistant(r.Answer)], "退款", new SourceLocation("data/support.jsonl", i + 1))))));
        return path;
    }

    static InspectRequest Request(Workspace w, string train, int maxSeqLength = 256, int examples = 5) =>
        new(new ModelSpec { ChatTemplate = "deepseek-r1" }, new InspectSpec { Examples = examples }, maxSeqLength, train, Tokenizer, w.Output);

    [Fact]
    public void Tokens_and_trained_marks_are_exactly_what_trains_encoder_gives()
    {
        using var w = new Workspace();
        var train = WriteTrain(w, ("退货要多久？", "7天内退款。"), ("发票怎么开？", "订单页申请电子发票。"));
        var result = DataStages.Inspect(Request(w, train));

        var tokenizer = HfTokenizer.Load(Tokenizer);
        var encoder = new ExampleEncoder(tokenizer, ChatTemplates.Get("deepseek-r1"), new ChatRenderOptions(), null, 256);
        var (examples, summary) = encoder.Encode([new TrainingRecord("r0", [ChatMessage.User("退货要多久？"), ChatMessage.Assistant("7天内退款。")], "x"),
            new TrainingRecord("r1", [ChatMessage.User("发票怎么开？"), ChatMessage.Assistant("订单页申请电子发票。")], "x")]);
        for (var e = 0; e < 2; e++)
        {
            Assert.Equal(examples[e].InputIds, result.Examples[e].Tokens.Select(t => t.Id));
            Assert.Equal(examples[e].LossMask, result.Examples[e].Tokens.Select(t => t.Trained));
        }
        Assert.Equal(summary.TrainedTokens, result.TrainedTokens);
        var first = result.Examples[0];
        Assert.Equal("<｜begin▁of▁sentence｜><｜User｜>退货要多久？<｜Assistant｜><think>\n\n</think>\n\n7天内退款。<｜end▁of▁sentence｜>", string.Concat(first.Tokens.Select(t => t.Text)));
        Assert.True(first.Tokens[0].Special);
        Assert.Equal(("<｜end▁of▁sentence｜>", true, true), (first.Tokens[^1].Text, first.Tokens[^1].Trained, first.Tokens[^1].Special));
        Assert.Equal("7天内退款。", string.Concat(first.Tokens.Where(t => t.Trained && !t.Special).Select(t => t.Text)).Split("</think>\n\n")[1]);
    }

    [Fact]
    public void Max_seq_length_cuts_are_counted_and_marked_in_the_text_and_html_views()
    {
        using var w = new Workspace();
        var longAnswer = string.Concat(Enumerable.Repeat("退款会在一到三个工作日内原路退回。", 6));
        var train = WriteTrain(w, ("退货要多久？", "7天内。"), ("能退款吗？", longAnswer), (string.Concat(Enumerable.Repeat("很长的问题", 30)), "好的。"));
        var result = DataStages.Inspect(Request(w, train, maxSeqLength: 32));
        Assert.Equal((3, 2, 1), (result.Records, result.Truncated, result.Dropped));
        Assert.True(result.Examples[1].Truncated);
        Assert.All(result.Examples[1].Tokens.Skip(32), t => Assert.True(t.BeyondCut));
        Assert.Equal(result.Examples[1].Length - 32 + result.Examples[2].Length - 32, result.TruncatedTokens);

        var text = File.ReadAllText(Path.Combine(w.Output, "inspect.txt"));
        Assert.Equal(result.TextView, text);
        Assert.Contains("max_seq_length 32: 2 records truncated", text);
        Assert.Contains("#1 data/support.jsonl:1 → train.jsonl:1 (id r0): ", text);
        Assert.Contains("  prompt │<｜begin▁of▁sentence｜>│<｜User｜>│", text);
        Assert.Contains("  TRAIN  │", text);
        Assert.Contains("  CUT    │", text);
        Assert.Contains("  TRAIN  │↵│</│think│>↵↵│7│天内│。│<｜end▁of▁sentence｜>│\n", text);
        var html = File.ReadAllText(Path.Combine(w.Output, "inspect.html"));
        Assert.Contains("<span class=\"cut\">✂ max_seq_length</span>", html);
        Assert.Contains("class=\"tok p s\" title=\"id ", html);
        Assert.Contains("class=\"tok x\"", html);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(w.Output, "inspect.json")));
        Assert.Equal(2, json.RootElement.GetProperty("truncated").GetInt32());
        Assert.Equal(result.Lengths.P50, json.RootElement.GetProperty("length_tokens").GetProperty("p50").GetInt32());
    }

    [Fact]
    public void A_chinese_character_split_over_byte_tokens_is_shown_on_the_token_that_completes_it()
    {
        using var w = new Workspace();
        var train = WriteTrain(w, ("𠮷野家？", "𠮷。"));
        var result = DataStages.Inspect(Request(w, train));
        var tokens = result.Examples[0].Tokens;
        Assert.Contains(tokens, t => t.Text.Length == 0);
        Assert.Contains(tokens, t => t.Text.Contains("𠮷"));
        Assert.DoesNotContain(tokens, t => t.Text.Contains('\uFFFD'));
    }

    [Fact]
    public void A_missing_tokenizer_for_a_hub_model_names_the_key_to_set()
    {
        var e = Assert.Throws<DataException>(() => Tuneforge.Data.Cleaning.TokenizerFolder.ForInspect(new InspectSpec(), new ModelSpec { Source = "hf://deepseek-ai/DeepSeek-R1-Distill-Qwen-7B" }, "/repo"));
        Assert.Equal("inspect.tokenizer: the model's tokenizer (hf://deepseek-ai/DeepSeek-R1-Distill-Qwen-7B) is not on this machine; set inspect.tokenizer to a folder with its tokenizer.json and tokenizer_config.json.", e.Message);
        Assert.Equal(RepositoryFiles.Path("data", "tokenizers", "deepseek-r1"), Tuneforge.Data.Cleaning.TokenizerFolder.ForInspect(new InspectSpec(), new ModelSpec(), RepositoryFiles.Root));
    }
}
