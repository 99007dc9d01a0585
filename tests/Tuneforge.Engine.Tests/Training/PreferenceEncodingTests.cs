using Tuneforge.Data.Training;
using Tuneforge.Engine.Loading;
using Tuneforge.Text;

namespace Tuneforge.Engine.Tests.Training;

public sealed class PreferenceEncodingTests
{
    private static readonly Lazy<HfTokenizer> R1Tokenizer = new(() => HfTokenizer.Load(TokenizerLocator.Find("deepseek-r1")));

    private static ExampleEncoder Encoder(int maxSeqLength = 512) =>
        new(R1Tokenizer.Value, ChatTemplates.Get("deepseek-r1"), new ChatRenderOptions(), systemPrompt: null, maxSeqLength);

    private static TrainingRecord Pair(string id, string question, string chosen, string rejected) =>
        new(id, [ChatMessage.User(question), ChatMessage.Assistant(chosen)], "test.jsonl:1") { Rejected = rejected };

    private static string Trained(EncodedExample e) =>
        R1Tokenizer.Value.Decode([.. e.InputIds.Where((_, t) => e.LossMask[t])]).Replace("<｜end▁of▁sentence｜>", "");

    [Fact]
    public void A_pair_encodes_one_prompt_twice_with_only_the_final_answer_trained()
    {
        TrainingRecord multiTurn = new("m", [ChatMessage.User("你好"), ChatMessage.Assistant("您好！"), ChatMessage.User("退货要多久？"), ChatMessage.Assistant("7天内退款。")], "t.jsonl:2")
            { Rejected = "不知道。" };
        var (pairs, summary) = new PreferenceEncoder(Encoder(), 512, 1024).EncodePairs([multiTurn, new TrainingRecord("sft", [ChatMessage.User("q"), ChatMessage.Assistant("a")], "t.jsonl:3")]);
        var pair = Assert.Single(pairs);
        Assert.Equal((2, 1, 1), (summary.Records, summary.Pairs, summary.WithoutPreference));
        var prompt = LabelledExample.PromptLength(pair.Chosen);
        Assert.Equal(prompt, LabelledExample.PromptLength(pair.Rejected));
        Assert.Equal(pair.Chosen.InputIds[..prompt], pair.Rejected.InputIds[..prompt]);
        Assert.EndsWith("7天内退款。", Trained(pair.Chosen));
        Assert.EndsWith("不知道。", Trained(pair.Rejected));
        Assert.DoesNotContain("您好", Trained(pair.Chosen));   // the earlier assistant turn is prompt here
    }

    [Fact]
    public void Kto_unpairs_pairs_keeps_labels_and_sft_leaves_undesirable_answers_out()
    {
        TrainingRecord bad = new("bad", [ChatMessage.User("运费？"), ChatMessage.Assistant("自己查。")], "t.jsonl:4") { Label = false };
        var (examples, summary) = new PreferenceEncoder(Encoder(), 512, 1024).EncodeLabelled([Pair("p", "退货？", "七天无理由。", "不行。"), bad]);
        Assert.Equal([true, false, false], examples.Select(e => e.Desirable));
        Assert.Equal(3, summary.Labelled);
        Assert.EndsWith("不行。", Trained(examples[1].Example));
        var (sft, sftSummary) = Encoder().Encode([Pair("p", "退货？", "七天无理由。", "不行。"), bad]);
        Assert.Equal(["p"], sft.Select(e => e.Id));
        Assert.Equal(1, sftSummary.Undesirable);
    }

    [Fact]
    public void Too_long_pairs_keep_the_prompt_end_then_cut_the_answer_as_trl_does()
    {
        var question = string.Concat(Enumerable.Range(0, 40).Select(i => $"问题{i}，")) + "最后一句";
        var answer = string.Concat(Enumerable.Range(0, 40).Select(i => $"回答{i}。"));
        var (pairs, summary) = new PreferenceEncoder(Encoder(4096), maxPromptLength: 24, maxLength: 40).EncodePairs([Pair("long", question, answer, "短。")]);
        var pair = Assert.Single(pairs);
        Assert.Equal(24, LabelledExample.PromptLength(pair.Chosen));
        Assert.Equal(40, pair.Chosen.Length);
        Assert.Equal((2, 1), (summary.PromptsTruncated, summary.AnswersTruncated));
        Assert.Contains("最后一句", R1Tokenizer.Value.Decode(pair.Chosen.InputIds[..24]));
        Assert.True(pair.Rejected.Length < 40);
        Assert.EndsWith("短。", Trained(pair.Rejected));
    }
}
