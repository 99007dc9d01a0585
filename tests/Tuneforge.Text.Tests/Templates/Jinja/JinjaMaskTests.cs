using System.Text.Json.Nodes;
using Tuneforge.Text.Tests.JinjaParity;

namespace Tuneforge.Text.Tests.Templates.Jinja;

/// <summary>
/// Loss masks of the checkpoints' own templates, found by prefix rendering, against the masks the named C# templates
/// give where both render the same text: token for token, multi-turn included.
/// </summary>
[Collection(RealTokenizersCollection.Name)]
public sealed class JinjaMaskTests(RealTokenizers tokenizers)
{
    private static readonly ChatRenderOptions NoThinkBlock = new() { WhenNoReasoning = MissingReasoning.NoThinkBlock, OpenThinkInPrompt = false };

    public static TheoryData<string> DeepSeekConversations => ["single", "system", "multi_turn"];

    [Theory]
    [MemberData(nameof(DeepSeekConversations))]
    public void DeepSeek_V3s_template_masks_like_the_named_deepseek_r1_template_without_think_blocks(string name)
    {
        ChatMessage[] messages = Conversation(name);
        JinjaChatTemplate own = JinjaChatTemplate.FromTokenizer(tokenizers.DeepSeek);

        TokenizedExample expected = ChatTemplates.Get("deepseek-r1").RenderTraining(messages, tokenizers.DeepSeek, NoThinkBlock);
        TokenizedExample actual = own.RenderTraining(messages, tokenizers.DeepSeek);

        Assert.Equal(expected.InputIds, actual.InputIds);
        Assert.Equal(expected.LossMask, actual.LossMask);
        Assert.Equal(messages.Count(m => m.Role == ChatRoles.Assistant), MaskView.TrainedRuns(actual, tokenizers.DeepSeek).Count);
    }

    [Fact]
    public void Qwen3s_template_masks_a_turn_without_reasoning_like_chatml_with_an_empty_think_block()
    {
        ChatMessage[] messages = [ChatMessage.System("你是客服。"), ChatMessage.User("什么时候发货？"), ChatMessage.Assistant("48 小时内。")];
        var emptyThink = new ChatRenderOptions { WhenNoReasoning = MissingReasoning.EmptyThinkBlock, OpenThinkInPrompt = false };

        AssertSameTokens(ChatTemplates.Get("chatml").RenderTraining(messages, tokenizers.Qwen, emptyThink), QwenOwn().RenderTraining(messages, tokenizers.Qwen));
        Assert.Equal(["<think>\n\n</think>\n\n48 小时内。<|im_end|>"], MaskView.TrainedRuns(QwenOwn().RenderTraining(messages, tokenizers.Qwen), tokenizers.Qwen));
    }

    [Fact]
    public void Qwen3s_template_masks_multi_turn_with_reasoning_on_the_last_turn_like_chatml()
    {
        // Qwen3 drops the think block of turns before the last question, which chatml without think blocks matches.
        ChatMessage[] messages =
        [
            ChatMessage.User("第一题"), ChatMessage.Assistant("答一"), ChatMessage.User("第二题"),
            ChatMessage.Assistant("答二", reasoning: "想一想。"),
        ];

        TokenizedExample own = QwenOwn().RenderTraining(messages, tokenizers.Qwen);

        AssertSameTokens(ChatTemplates.Get("chatml").RenderTraining(messages, tokenizers.Qwen, NoThinkBlock), own);
        Assert.Equal(["答一<|im_end|>", "<think>\n想一想。\n</think>\n\n答二<|im_end|>"], MaskView.TrainedRuns(own, tokenizers.Qwen));
    }

    [Fact]
    public void Llama_3_1s_template_masks_like_the_named_llama3_template()
    {
        using var folder = new TempFolder();
        SyntheticTokenizer synthetic = Llama3TemplateTests.Llama3Tokenizer();
        synthetic.Config!["chat_template"] = ParityFixtures.TemplateOf("llama3_1.json");
        HfTokenizer tokenizer = HfTokenizer.Load(synthetic.WriteTo(folder));
        ChatMessage[] messages =
        [
            ChatMessage.System(" be kind "), ChatMessage.User("hi"), ChatMessage.Assistant(" hello\n"), ChatMessage.User("bye"),
            ChatMessage.Assistant("ciao"),
        ];

        TokenizedExample own = JinjaChatTemplate.FromTokenizer(tokenizer).RenderTraining(messages, tokenizer);

        AssertSameTokens(ChatTemplates.Get("llama3").RenderTraining(messages, tokenizer), own);
        Assert.Equal(["hello<|eot_id|>", "ciao<|eot_id|>"], MaskView.TrainedRuns(own, tokenizer));
    }

    [Fact]
    public void Training_only_the_last_turn_masks_earlier_answers_as_prompt()
    {
        ChatMessage[] messages = Conversation("multi_turn");

        TokenizedExample last = JinjaChatTemplate.FromTokenizer(tokenizers.DeepSeek)
            .RenderTraining(messages, tokenizers.DeepSeek, new ChatRenderOptions { TrainAllAssistantTurns = false });

        Assert.Equal(["Usually 7-10 days.<｜end▁of▁sentence｜>"], MaskView.TrainedRuns(last, tokenizers.DeepSeek));
    }

    [Fact]
    public void Generation_blocks_are_the_mask_when_a_template_has_them()
    {
        const string template =
            "{% for m in messages %}{% if m.role == 'assistant' %}A: {% generation %}{{ m.content }}{{ eos_token }}{% endgeneration %}\n" +
            "{% else %}{{ m.role }}: {{ m.content }}\n{% endif %}{% endfor %}{% if add_generation_prompt %}A: {% endif %}";
        var own = new JinjaChatTemplate(template, "test", bosToken: null, eosToken: "<｜end▁of▁sentence｜>");

        IReadOnlyList<TemplateSegment> segments = own.RenderSegments(Conversation("multi_turn"));

        Assert.Equal(
            [
                new TemplateSegment("user: Hi! Do you ship abroad?\nA: ", false),
                new TemplateSegment("Yes, to 30 countries.<｜end▁of▁sentence｜>", true),
                new TemplateSegment("user: How long to Germany?\nA: ", false),
                new TemplateSegment("Usually 7-10 days.<｜end▁of▁sentence｜>", true),
            ],
            segments);
    }

    [Fact]
    public void A_deepseek_tool_call_turn_is_passed_with_content_none_and_trained()
    {
        ChatMessage[] messages =
        [
            ChatMessage.User("订单 A-1001 到哪了？"),
            new(ChatRoles.Assistant, "") { ToolCalls = [new ChatToolCall("get_order_status", JsonValue.Create("{\"order_id\": \"A-1001\"}"), "call_1")] },
            new(ChatRoles.Tool, "{\"status\": \"shipped\"}") { ToolCallId = "call_1" },
            ChatMessage.Assistant("已发货。"),
        ];

        TokenizedExample example = JinjaChatTemplate.FromTokenizer(tokenizers.DeepSeek).RenderTraining(messages, tokenizers.DeepSeek);

        Assert.Equal(
            [
                "<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_order_status\n```json\n{\"order_id\": \"A-1001\"}\n```<｜tool▁call▁end｜>",
                "已发货。<｜end▁of▁sentence｜>",
            ],
            MaskView.TrainedRuns(example, tokenizers.DeepSeek));
    }

    [Fact]
    public void Qwen3s_template_trains_tool_calls_and_reads_the_tools()
    {
        var tools = new[] { JsonNode.Parse("""{"type": "function", "function": {"name": "refund", "parameters": {"type": "object"}}}""")!.AsObject() };
        ChatMessage[] messages =
        [
            ChatMessage.User("Refund A-1"),
            new(ChatRoles.Assistant, "") { ToolCalls = [new ChatToolCall("refund", JsonNode.Parse("""{"order_id": "A-1"}"""))] },
            new(ChatRoles.Tool, "ok"),
            ChatMessage.Assistant("Done."),
        ];
        var options = new ChatRenderOptions { Tools = tools };

        TokenizedExample example = QwenOwn().RenderTraining(messages, tokenizers.Qwen, options);

        Assert.Contains("""{"type": "function", "function": {"name": "refund", "parameters": {"type": "object"}}}""", QwenOwn().RenderText(messages, options));
        Assert.Equal(
            ["<tool_call>\n{\"name\": \"refund\", \"arguments\": {\"order_id\": \"A-1\"}}\n</tool_call><|im_end|>", "<think>\n\n</think>\n\nDone.<|im_end|>"],
            MaskView.TrainedRuns(example, tokenizers.Qwen));
    }

    [Fact]
    public void A_template_that_renders_history_unlike_the_prompt_is_refused_for_earlier_turns()
    {
        // With enable_thinking=false Qwen3's prompt ends in an empty think block that its history turns never have.
        var own = JinjaChatTemplate.FromTokenizer(tokenizers.Qwen, ChatTemplateKwargs.From([new("enable_thinking", false)]));
        ChatMessage[] messages = Conversation("multi_turn");

        var error = Assert.Throws<ChatTemplateException>(() => own.RenderTraining(messages, tokenizers.Qwen));
        TokenizedExample last = own.RenderTraining(messages, tokenizers.Qwen, new ChatRenderOptions { TrainAllAssistantTurns = false });

        Assert.Contains("assistant message 1 cannot be located by prefix rendering", error.Message);
        Assert.Contains("they part at character", error.Message);
        Assert.Equal(["Usually 7-10 days.<|im_end|>"], MaskView.TrainedRuns(last, tokenizers.Qwen));
    }

    private JinjaChatTemplate QwenOwn() => JinjaChatTemplate.FromTokenizer(tokenizers.Qwen);

    private static void AssertSameTokens(TokenizedExample expected, TokenizedExample actual)
    {
        Assert.Equal(expected.InputIds, actual.InputIds);
        Assert.Equal(expected.LossMask, actual.LossMask);
    }

    private static ChatMessage[] Conversation(string name) => name switch
    {
        "single" => [ChatMessage.User("什么时候发货？"), ChatMessage.Assistant("下单后 48 小时内发货。")],
        "system" => [ChatMessage.System("你是客服助手。"), ChatMessage.System("回答要简短。"), ChatMessage.User("可以开发票吗？"), ChatMessage.Assistant("可以。")],
        "multi_turn" =>
        [
            ChatMessage.User("Hi! Do you ship abroad?"), ChatMessage.Assistant("Yes, to 30 countries."),
            ChatMessage.User("How long to Germany?"), ChatMessage.Assistant("Usually 7-10 days."),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
