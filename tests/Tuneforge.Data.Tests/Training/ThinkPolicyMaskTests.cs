using Tuneforge.Data.Training;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Data.Tests.Training;

/// <summary>What each model.answer_without_reasoning policy trains, read back from the token mask of real tokenizers.</summary>
public sealed class ThinkPolicyMaskTests
{
    private const string Eos = "<｜end▁of▁sentence｜>";
    private static readonly Lazy<HfTokenizer> DeepSeek = new(() => HfTokenizer.Load(RepositoryFiles.Path("data", "tokenizers", "deepseek-r1")));
    private static readonly Lazy<HfTokenizer> Qwen = new(() => HfTokenizer.Load(RepositoryFiles.Path("data", "tokenizers", "qwen3")));

    private static readonly ChatMessage[] Plain = [ChatMessage.User("2+2?"), ChatMessage.Assistant("4")];
    private static readonly ChatMessage[] Traced = [ChatMessage.User("2+2?"), ChatMessage.Assistant("4", reasoning: "Add them.")];
    private static readonly ChatMessage[] Inline = [ChatMessage.User("2+2?"), ChatMessage.Assistant("<think>\nAdd them.\n</think>\n\n4")];
    private static readonly ChatMessage[] MultiTurn =
    [
        ChatMessage.User("Hi"), ChatMessage.Assistant("Hello.", reasoning: "Greet back."),
        ChatMessage.User("2+2?"), ChatMessage.Assistant("4", reasoning: "Add them."),
    ];

    [Fact]
    public void Empty_think_the_default_trains_the_empty_block_and_the_reasoning_as_before()
    {
        Assert.Equal(ThinkPolicy.EmptyThink, new ModelSpec().AnswerWithoutReasoning);
        Assert.Equal([$"\n</think>\n\n4{Eos}"], R1Trained(ThinkPolicy.EmptyThink, Plain));
        Assert.Equal([$"Add them.\n</think>\n\n4{Eos}"], R1Trained(ThinkPolicy.EmptyThink, Traced));
        Assert.Equal([$"Greet back.\n</think>\n\nHello.{Eos}", $"Add them.\n</think>\n\n4{Eos}"], R1Trained(ThinkPolicy.EmptyThink, MultiTurn));
    }

    [Fact]
    public void None_trains_the_answer_alone_after_the_assistant_marker()
    {
        Assert.Equal([$"4{Eos}"], R1Trained(ThinkPolicy.None, Plain));
        Assert.Equal("<｜begin▁of▁sentence｜><｜User｜>2+2?<｜Assistant｜>4" + Eos, R1Text(ThinkPolicy.None, Plain));
    }

    [Fact]
    public void Mask_think_keeps_the_block_in_the_input_but_trains_only_the_answer()
    {
        Assert.Equal([$"4{Eos}"], R1Trained(ThinkPolicy.MaskThink, Plain));
        Assert.Equal($"<｜begin▁of▁sentence｜><｜User｜>2+2?<｜Assistant｜><think>\n\n</think>\n\n4{Eos}", R1Text(ThinkPolicy.MaskThink, Plain));
        Assert.Equal([$"4{Eos}"], R1Trained(ThinkPolicy.MaskThink, Traced));
        Assert.Equal($"<｜begin▁of▁sentence｜><｜User｜>2+2?<｜Assistant｜><think>\nAdd them.\n</think>\n\n4{Eos}", R1Text(ThinkPolicy.MaskThink, Traced));
        Assert.Equal([$"Hello.{Eos}", $"4{Eos}"], R1Trained(ThinkPolicy.MaskThink, MultiTurn));
    }

    [Fact]
    public void Traces_trains_the_reasoning_given_apart_or_inline_and_masks_an_empty_block()
    {
        Assert.Equal([$"Add them.\n</think>\n\n4{Eos}"], R1Trained(ThinkPolicy.Traces, Traced));
        Assert.Equal([$"Add them.\n</think>\n\n4{Eos}"], R1Trained(ThinkPolicy.Traces, Inline));
        Assert.Equal([$"4{Eos}"], R1Trained(ThinkPolicy.Traces, Plain));
        Assert.Equal($"<｜begin▁of▁sentence｜><｜User｜>2+2?<｜Assistant｜><think>\n\n</think>\n\n4{Eos}", R1Text(ThinkPolicy.Traces, Plain));
    }

    [Fact]
    public void Traces_removes_earlier_turns_reasoning_as_the_R1_template_does_and_trains_the_last_turn()
    {
        Assert.Equal([$"Add them.\n</think>\n\n4{Eos}"], R1Trained(ThinkPolicy.Traces, MultiTurn));
        Assert.Equal(
            $"<｜begin▁of▁sentence｜><｜User｜>Hi<｜Assistant｜>Hello.{Eos}<｜User｜>2+2?<｜Assistant｜><think>\nAdd them.\n</think>\n\n4{Eos}",
            R1Text(ThinkPolicy.Traces, MultiTurn));
    }

    [Fact]
    public void Chatml_has_no_empty_block_and_masks_or_trains_the_data_s_reasoning_per_policy()
    {
        Assert.Equal(["4<|im_end|>"], ChatMlTrained(ThinkPolicy.EmptyThink, Plain));
        Assert.Equal(["<think>\nAdd them.\n</think>\n\n4<|im_end|>"], ChatMlTrained(ThinkPolicy.EmptyThink, Traced));
        Assert.Equal(["4<|im_end|>"], ChatMlTrained(ThinkPolicy.MaskThink, Plain));
        Assert.Equal(["4<|im_end|>"], ChatMlTrained(ThinkPolicy.MaskThink, Traced));
        Assert.Contains("<think>\nAdd them.\n</think>\n\n4", Render(Qwen.Value, "chatml", ThinkPolicy.MaskThink, Traced).Text);
        Assert.Equal(["4<|im_end|>"], ChatMlTrained(ThinkPolicy.Traces, Plain));
        Assert.Equal(["<think>\nAdd them.\n</think>\n\n4<|im_end|>"], ChatMlTrained(ThinkPolicy.Traces, MultiTurn));
        Assert.Equal(["<think>\nGreet back.\n</think>\n\nHello.<|im_end|>", "<think>\nAdd them.\n</think>\n\n4<|im_end|>"], ChatMlTrained(ThinkPolicy.EmptyThink, MultiTurn));
        Assert.DoesNotContain("Greet back.", Render(Qwen.Value, "chatml", ThinkPolicy.Traces, MultiTurn).Text);
    }

    [Fact]
    public void Mask_think_with_the_tokenizer_s_own_template_is_refused_with_the_key_and_what_to_do()
    {
        IChatTemplate own = ChatTemplates.Resolve(ChatTemplates.Tokenizer, Qwen.Value);

        var error = Assert.Throws<ChatTemplateException>(() => ChatSetup.RenderOptions(ThinkPolicy.MaskThink, own));

        Assert.Equal(
            "model.answer_without_reasoning: mask_think needs a named chat template; the tokenizer's own template decides the think " +
            "block itself. Set model.chat_template to deepseek-r1, chatml or llama3, or use empty_think.",
            error.Message);
        Assert.Equal(new ChatRenderOptions(), ChatSetup.RenderOptions(ThinkPolicy.EmptyThink, own));
    }

    private static IReadOnlyList<string> R1Trained(ThinkPolicy policy, ChatMessage[] messages) => Render(DeepSeek.Value, "deepseek-r1", policy, messages).Trained;

    private static string R1Text(ThinkPolicy policy, ChatMessage[] messages) => Render(DeepSeek.Value, "deepseek-r1", policy, messages).Text;

    private static IReadOnlyList<string> ChatMlTrained(ThinkPolicy policy, ChatMessage[] messages) => Render(Qwen.Value, "chatml", policy, messages).Trained;

    /// <summary>The encoder's tokens of a record, decoded whole and as the runs of trained tokens.</summary>
    private static (string Text, IReadOnlyList<string> Trained) Render(HfTokenizer tokenizer, string template, ThinkPolicy policy, ChatMessage[] messages)
    {
        var chat = ChatSetup.From(new ModelSpec { ChatTemplate = template, AnswerWithoutReasoning = policy }, tokenizer);
        var encoder = new ExampleEncoder(tokenizer, chat, maxSeqLength: 512);
        TokenizedExample example = encoder.Render(new TrainingRecord("r1", messages, "train.jsonl:1"));
        var runs = new List<string>();
        var current = new List<int>();
        for (int i = 0; i <= example.Length; i++)
        {
            if (i < example.Length && example.LossMask[i])
            {
                current.Add(example.InputIds[i]);
            }
            else if (current.Count > 0)
            {
                runs.Add(tokenizer.Decode(current));
                current.Clear();
            }
        }

        return (tokenizer.Decode(example.InputIds), runs);
    }
}
