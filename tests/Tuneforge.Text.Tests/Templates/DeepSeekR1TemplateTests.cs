namespace Tuneforge.Text.Tests.Templates;

[Collection(RealTokenizersCollection.Name)]
public sealed class DeepSeekR1TemplateTests(RealTokenizers tokenizers)
{
    private const string Bos = "<｜begin▁of▁sentence｜>";
    private const string Eos = "<｜end▁of▁sentence｜>";
    private static readonly IChatTemplate Template = ChatTemplates.Get("deepseek-r1");

    private HfTokenizer Tokenizer => tokenizers.DeepSeek;

    [Fact]
    public void An_answer_without_reasoning_trains_after_an_empty_think_block_by_default()
    {
        ChatMessage[] messages = [ChatMessage.System("You are helpful."), ChatMessage.User("What is 2+2?"), ChatMessage.Assistant("4")];

        Assert.Equal(
            $"{Bos}You are helpful.<｜User｜>What is 2+2?<｜Assistant｜><think>\n\n</think>\n\n4{Eos}",
            Template.RenderText(messages));
        Assert.Equal(
            [
                new TemplateSegment($"{Bos}You are helpful.<｜User｜>What is 2+2?<｜Assistant｜><think>\n", Trained: false),
                new TemplateSegment($"\n</think>\n\n4{Eos}", Trained: true),
            ],
            Template.RenderSegments(messages));

        TokenizedExample example = Template.RenderTraining(messages, Tokenizer);
        Assert.Equal([$"\n</think>\n\n4{Eos}"], MaskView.TrainedRuns(example, Tokenizer));
        Assert.Equal(Template.RenderText(messages), Tokenizer.Decode(example.InputIds));
    }

    [Fact]
    public void Exactly_one_BOS_starts_the_example_and_the_EOS_is_trained()
    {
        TokenizedExample example = Template.RenderTraining([ChatMessage.User("hi"), ChatMessage.Assistant("hello")], Tokenizer);

        Assert.Equal(0, example.InputIds[0]);
        Assert.Single(example.InputIds, id => id == 0);
        Assert.False(example.LossMask[0]);
        Assert.Equal(1, example.InputIds[^1]);
        Assert.True(example.LossMask[^1]);
        Assert.Equal(example.InputIds.Length, example.LossMask.Length);
    }

    [Fact]
    public void An_answer_can_train_without_any_think_block()
    {
        ChatMessage[] messages = [ChatMessage.User("Hi"), ChatMessage.Assistant("Hello!")];
        var options = new ChatRenderOptions { WhenNoReasoning = MissingReasoning.NoThinkBlock };

        Assert.Equal($"{Bos}<｜User｜>Hi<｜Assistant｜>Hello!{Eos}", Template.RenderText(messages, options));
        Assert.Equal([$"Hello!{Eos}"], MaskView.TrainedRuns(Template.RenderTraining(messages, Tokenizer, options), Tokenizer));
        Assert.Equal($"{Bos}<｜User｜>Hi<｜Assistant｜>", Template.RenderPromptText([ChatMessage.User("Hi")], options));
    }

    [Fact]
    public void Reasoning_given_apart_or_inline_is_kept_and_trained()
    {
        ChatMessage apart = ChatMessage.Assistant("The answer is 4.", reasoning: "\n2 plus 2 is 4.\n");
        ChatMessage inline = ChatMessage.Assistant("<think>\n2 plus 2 is 4.\n</think>\n\nThe answer is 4.");

        foreach (ChatMessage answer in new[] { apart, inline })
        {
            ChatMessage[] messages = [ChatMessage.User("2+2?"), answer];
            Assert.Equal(
                $"{Bos}<｜User｜>2+2?<｜Assistant｜><think>\n2 plus 2 is 4.\n</think>\n\nThe answer is 4.{Eos}",
                Template.RenderText(messages));
            Assert.Equal(
                [$"2 plus 2 is 4.\n</think>\n\nThe answer is 4.{Eos}"],
                MaskView.TrainedRuns(Template.RenderTraining(messages, Tokenizer), Tokenizer));
        }
    }

    [Fact]
    public void Every_assistant_turn_of_a_multi_turn_conversation_is_trained()
    {
        ChatMessage[] messages =
        [
            ChatMessage.System("Be brief."), ChatMessage.User("Hi"), ChatMessage.Assistant("Hello."),
            ChatMessage.User("2+2?"), ChatMessage.Assistant("4", reasoning: "Simple sum."),
        ];

        TokenizedExample example = Template.RenderTraining(messages, Tokenizer);

        Assert.Equal(
            [$"\n</think>\n\nHello.{Eos}", $"Simple sum.\n</think>\n\n4{Eos}"],
            MaskView.TrainedRuns(example, Tokenizer));
        Assert.Equal(
            [$"{Bos}Be brief.<｜User｜>Hi<｜Assistant｜><think>\n", "<｜User｜>2+2?<｜Assistant｜><think>\n"],
            MaskView.PromptRuns(example, Tokenizer));
    }

    [Fact]
    public void The_mask_follows_positions_not_ids_so_one_EOS_is_trained_and_another_masked()
    {
        ChatMessage[] messages = [ChatMessage.User("a"), ChatMessage.Assistant("b"), ChatMessage.User("c"), ChatMessage.Assistant("d")];

        TokenizedExample example = Template.RenderTraining(messages, Tokenizer, new ChatRenderOptions { TrainAllAssistantTurns = false });

        int[] eosPositions = Enumerable.Range(0, example.Length).Where(i => example.InputIds[i] == Tokenizer.EosId).ToArray();
        Assert.Equal(2, eosPositions.Length);
        Assert.False(example.LossMask[eosPositions[0]]);
        Assert.True(example.LossMask[eosPositions[1]]);
        Assert.Equal([$"\n</think>\n\nd{Eos}"], MaskView.TrainedRuns(example, Tokenizer));
        Assert.Equal(-100, example.Labels()[eosPositions[0]]);
        Assert.Equal(Tokenizer.EosId, example.Labels()[eosPositions[1]]);
    }

    [Fact]
    public void System_messages_are_joined_after_BOS_wherever_they_appear()
    {
        ChatMessage[] messages = [ChatMessage.System("One."), ChatMessage.User("q"), ChatMessage.System("Two."), ChatMessage.Assistant("a")];

        Assert.StartsWith($"{Bos}One.\n\nTwo.<｜User｜>q<｜Assistant｜>", Template.RenderText(messages));
    }

    [Fact]
    public void The_generation_prompt_opens_think_and_drops_earlier_reasoning()
    {
        ChatMessage[] messages = [ChatMessage.User("Hi"), ChatMessage.Assistant("Hello.", reasoning: "greet back"), ChatMessage.User("2+2?")];

        string text = Template.RenderPromptText(messages);
        int[] ids = Template.RenderPrompt(messages, Tokenizer);

        Assert.Equal($"{Bos}<｜User｜>Hi<｜Assistant｜>Hello.{Eos}<｜User｜>2+2?<｜Assistant｜><think>\n", text);
        Assert.Equal(Tokenizer.Encode(text), ids);
        Assert.EndsWith("<｜Assistant｜><think>\n", Tokenizer.Decode(ids));
        Assert.Single(ids, id => id == 0);
    }

    [Fact]
    public void The_generation_prompt_can_leave_think_closed()
    {
        int[] ids = Template.RenderPrompt([ChatMessage.User("Hi")], Tokenizer, new ChatRenderOptions { OpenThinkInPrompt = false });

        Assert.Equal(Tokenizer.TokenToId("<｜Assistant｜>"), ids[^1]);
    }

    [Fact]
    public void Generated_text_is_split_into_reasoning_and_answer()
    {
        Assert.Equal(new ReasoningSplit("2+2 is 4.", "The answer is 4.", true), Template.SplitReasoning("2+2 is 4.\n</think>\n\nThe answer is 4."));
        Assert.Equal(new ReasoningSplit("still thinking", "", false), Template.SplitReasoning("still thinking"));
        Assert.Equal(
            new ReasoningSplit(null, "plain", true),
            Template.SplitReasoning("plain", new ChatRenderOptions { WhenNoReasoning = MissingReasoning.NoThinkBlock }));
    }

    [Fact]
    public void Stops_on_the_end_of_sentence_token()
    {
        Assert.Equal(["<｜end▁of▁sentence｜>"], Template.StopStrings);
        Assert.Equal([1], Template.StopTokenIds(Tokenizer));
    }

    [Fact]
    public void Template_tokens_use_the_fullwidth_bar_and_the_lower_block()
    {
        string text = Template.RenderText([ChatMessage.User("q"), ChatMessage.Assistant("a")]);

        Assert.Contains('\uFF5C', text);
        Assert.Contains('\u2581', text);
        Assert.DoesNotContain("<|", text);
    }
}
