namespace Tuneforge.Text.Tests.Templates;

/// <summary>
/// The named templates written as Jinja (what chat_template.jinja and GGUF carry after training) render exactly the text
/// the C# templates render, for training and for generation prompts, under each reasoning option.
/// </summary>
[Collection(RealTokenizersCollection.Name)]
public sealed class NamedTemplateJinjaTests(RealTokenizers tokenizers)
{
    private static readonly Dictionary<string, ChatMessage[]> Conversations = new()
    {
        ["single"] = [ChatMessage.User("What is 2+2?"), ChatMessage.Assistant("4")],
        ["system"] = [ChatMessage.System("You are terse."), ChatMessage.User("Hi"), ChatMessage.Assistant("Hello.")],
        ["two_systems"] = [ChatMessage.System("Rule one."), ChatMessage.System("Rule two."), ChatMessage.User("Go"), ChatMessage.Assistant("Done")],
        ["reasoning"] = [ChatMessage.User("Why?"), ChatMessage.Assistant("\n\nBecause.", reasoning: "\nthink first\n")],
        ["inline_reasoning"] = [ChatMessage.User("Why?"), ChatMessage.Assistant("  <think>\nsteps\n</think>\n\nSo it is.")],
        ["unopened_reasoning"] = [ChatMessage.User("Why?"), ChatMessage.Assistant("steps</think>answer")],
        ["empty_reasoning"] = [ChatMessage.User("Q"), ChatMessage.Assistant("A", reasoning: "")],
        ["multi_turn"] =
        [
            ChatMessage.System("系统"), ChatMessage.User("第一个问题？"), ChatMessage.Assistant("第一个回答。", reasoning: "想一想"),
            ChatMessage.User("第二个 🙂"), ChatMessage.Assistant("第二个回答。"),
        ],
        ["whitespace"] = [ChatMessage.User("  padded \n"), ChatMessage.Assistant("\n answer with spaces  \n")],
    };

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (string conversation in Conversations.Keys)
        {
            foreach (string options in Options.Keys)
            {
                data.Add("deepseek-r1", options, conversation);
                data.Add("chatml", options, conversation);
                data.Add("llama3", options, conversation);
            }
        }

        return data;
    }

    private static readonly Dictionary<string, ChatRenderOptions?> Options = new()
    {
        ["default"] = null,
        ["empty_think"] = new() { WhenNoReasoning = MissingReasoning.EmptyThinkBlock },
        ["no_think_block"] = new() { WhenNoReasoning = MissingReasoning.NoThinkBlock },
        ["empty_think_closed"] = new() { WhenNoReasoning = MissingReasoning.EmptyThinkBlock, OpenThinkInPrompt = false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_jinja_form_renders_the_training_text_and_the_prompt_of_the_named_template(string name, string options, string conversation)
    {
        IChatTemplate named = ChatTemplates.Get(name);
        ChatMessage[] messages = Conversations[conversation];
        JinjaChatTemplate jinja = AsJinja(named, Options[options]);

        Assert.Equal(named.RenderText(messages, Options[options]), jinja.RenderText(messages));
        Assert.Equal(named.RenderPromptText(messages[..^1], Options[options]), jinja.RenderPromptText(messages[..^1]));
        Assert.Equal(named.RenderPromptText(messages, Options[options]), jinja.RenderPromptText(messages));
    }

    [Theory]
    [InlineData("deepseek-r1", "default")]
    [InlineData("deepseek-r1", "no_think_block")]
    [InlineData("chatml", "default")]
    [InlineData("chatml", "empty_think_closed")]
    public void Training_tokens_and_loss_masks_of_the_jinja_form_equal_the_named_templates(string name, string options)
    {
        HfTokenizer tokenizer = name == "chatml" ? tokenizers.Qwen : tokenizers.DeepSeek;
        IChatTemplate named = ChatTemplates.Get(name);
        JinjaChatTemplate jinja = AsJinja(named, Options[options]);

        foreach (string conversation in new[] { "single", "system", "reasoning", "inline_reasoning" })
        {
            TokenizedExample expected = named.RenderTraining(Conversations[conversation], tokenizer, Options[options]);
            TokenizedExample actual = jinja.RenderTraining(Conversations[conversation], tokenizer);
            Assert.Equal(expected.InputIds, actual.InputIds);
            Assert.Equal(expected.LossMask, actual.LossMask);
        }
    }

    [Fact]
    public void The_jinja_form_says_which_options_it_was_written_for()
    {
        string open = ChatTemplateText.Of(ChatTemplates.Get("deepseek-r1"));
        string closed = ChatTemplateText.Of(ChatTemplates.Get("deepseek-r1"), Options["no_think_block"]);

        Assert.StartsWith("{#- Tuneforge's deepseek-r1 chat template as Jinja: renders what training rendered. -#}\n" +
                          "{%- set end_of_turn = '<｜end▁of▁sentence｜>' -%}\n{%- set empty_think = true -%}\n{%- set open_think = true -%}\n", open);
        Assert.Contains("{%- set empty_think = false -%}\n{%- set open_think = false -%}\n", closed);
        Assert.Equal("<｜end▁of▁sentence｜>", AsJinja(ChatTemplates.Get("deepseek-r1"), null).EndOfTurn);
        Assert.True(AsJinja(ChatTemplates.Get("deepseek-r1"), null).OpensThinkInPrompt);
        Assert.False(AsJinja(ChatTemplates.Get("deepseek-r1"), Options["no_think_block"]).OpensThinkInPrompt);
    }

    private JinjaChatTemplate AsJinja(IChatTemplate named, ChatRenderOptions? options) =>
        new(ChatTemplateText.Of(named, options), named.Name + " as Jinja", tokenizers.DeepSeek.BosToken, tokenizers.DeepSeek.EosToken);
}
