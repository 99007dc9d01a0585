namespace Tuneforge.Text.Tests.Templates;

[Collection(RealTokenizersCollection.Name)]
public sealed class ChatMlTemplateTests(RealTokenizers tokenizers)
{
    private static readonly IChatTemplate Template = ChatTemplates.Get("chatml");

    private HfTokenizer Tokenizer => tokenizers.Qwen;

    [Fact]
    public void A_conversation_renders_as_ChatML_and_trains_the_answer_and_its_end_token()
    {
        ChatMessage[] messages = [ChatMessage.System("You are Qwen."), ChatMessage.User("Hi"), ChatMessage.Assistant("Hello!")];

        Assert.Equal(
            "<|im_start|>system\nYou are Qwen.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n",
            Template.RenderText(messages));

        TokenizedExample example = Template.RenderTraining(messages, Tokenizer);
        Assert.Equal(["Hello!<|im_end|>"], MaskView.TrainedRuns(example, Tokenizer));
        Assert.Equal(198, example.InputIds[^1]);
        Assert.False(example.LossMask[^1]);
        Assert.DoesNotContain(Tokenizer.TokenToId("<|endoftext|>")!.Value, example.InputIds);
    }

    [Fact]
    public void Qwen3_reasoning_is_kept_and_an_empty_block_can_be_asked_for()
    {
        ChatMessage[] withReasoning = [ChatMessage.User("2+2?"), ChatMessage.Assistant("4", reasoning: "Add them.")];
        ChatMessage[] without = [ChatMessage.User("2+2?"), ChatMessage.Assistant("4")];

        Assert.Equal(
            ["<think>\nAdd them.\n</think>\n\n4<|im_end|>"],
            MaskView.TrainedRuns(Template.RenderTraining(withReasoning, Tokenizer), Tokenizer));
        Assert.Equal(
            ["<think>\n\n</think>\n\n4<|im_end|>"],
            MaskView.TrainedRuns(Template.RenderTraining(without, Tokenizer, new ChatRenderOptions { WhenNoReasoning = MissingReasoning.EmptyThinkBlock }), Tokenizer));
        Assert.Equal(["4<|im_end|>"], MaskView.TrainedRuns(Template.RenderTraining(without, Tokenizer), Tokenizer));
    }

    [Fact]
    public void Multi_turn_trains_each_answer()
    {
        ChatMessage[] messages = [ChatMessage.User("a"), ChatMessage.Assistant("b"), ChatMessage.User("c"), ChatMessage.Assistant("d")];

        Assert.Equal(["b<|im_end|>", "d<|im_end|>"], MaskView.TrainedRuns(Template.RenderTraining(messages, Tokenizer), Tokenizer));
    }

    [Fact]
    public void The_generation_prompt_opens_the_assistant_turn()
    {
        ChatMessage[] messages = [ChatMessage.User("Hi"), ChatMessage.Assistant("<think>\nx\n</think>\n\nHello."), ChatMessage.User("Bye")];

        Assert.Equal(
            "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello.<|im_end|>\n<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n",
            Template.RenderPromptText(messages));
        Assert.Equal([151644, 77091, 198], Template.RenderPrompt(messages, Tokenizer)[^3..]);
    }

    [Fact]
    public void Qwen_is_another_name_for_ChatML_and_stops_on_both_end_tokens()
    {
        Assert.Same(Template, ChatTemplates.Get("qwen"));
        Assert.Same(Template, ChatTemplates.Get(" ChatML "));
        Assert.Equal([151645, 151643], Template.StopTokenIds(Tokenizer));
    }

    [Fact]
    public void Generated_Qwen3_text_is_split_into_reasoning_and_answer()
    {
        Assert.Equal(new ReasoningSplit("abc", "x", true), Template.SplitReasoning("<think>\nabc\n</think>\n\nx"));
        Assert.Equal(new ReasoningSplit(null, "plain", true), Template.SplitReasoning("plain"));
        Assert.Equal(new ReasoningSplit("unfinished", "", false), Template.SplitReasoning("<think>\nunfinished"));
    }
}
