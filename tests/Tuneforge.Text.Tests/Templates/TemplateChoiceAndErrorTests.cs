using System.Text.Json.Nodes;

namespace Tuneforge.Text.Tests.Templates;

[Collection(RealTokenizersCollection.Name)]
public sealed class TemplateChoiceAndErrorTests(RealTokenizers tokenizers)
{
    [Fact]
    public void Templates_are_detected_from_tokenizer_config()
    {
        Assert.Equal("deepseek-r1", ChatTemplates.Detect(tokenizers.DeepSeek).Name);
        Assert.Equal("chatml", ChatTemplates.Detect(tokenizers.Qwen).Name);
    }

    [Fact]
    public void The_jinja_text_wins_over_the_vocabulary()
    {
        SyntheticTokenizer synthetic = Llama3TemplateTests.Llama3Tokenizer();
        synthetic.Config!["chat_template"] = "{% for m in messages %}<|im_start|>{{ m.role }}{% endfor %}";
        using var folder = new TempFolder();

        Assert.Equal("chatml", ChatTemplates.Detect(HfTokenizer.Load(synthetic.WriteTo(folder))).Name);
    }

    [Fact]
    public void A_tokenizer_without_signs_of_a_template_asks_for_a_name()
    {
        using var folder = new TempFolder();
        HfTokenizer plain = HfTokenizer.Load(new SyntheticTokenizer { Config = new JsonObject() }.WriteTo(folder));

        Assert.Null(ChatTemplates.TryDetect(plain));
        var error = Assert.Throws<ChatTemplateException>(() => ChatTemplates.Detect(plain));
        Assert.Contains("Name one of: deepseek-r1, chatml, qwen, llama3", error.Message);
    }

    [Fact]
    public void An_unknown_template_name_lists_the_known_ones()
    {
        var error = Assert.Throws<ChatTemplateException>(() => ChatTemplates.Get("mistral"));
        Assert.Equal("No chat template is named 'mistral'. Known templates: deepseek-r1, chatml, qwen, llama3.", error.Message);
    }

    [Fact]
    public void An_unknown_role_is_named_with_its_message_index()
    {
        var error = Assert.Throws<ChatTemplateException>(() =>
            ChatTemplates.Get("chatml").RenderText([ChatMessage.User("q"), new ChatMessage("bot", "a")]));
        Assert.Equal("chatml: message 1 has role 'bot'; roles are system, user, assistant.", error.Message);
    }

    [Fact]
    public void Training_needs_an_assistant_message()
    {
        var error = Assert.Throws<ChatTemplateException>(() =>
            ChatTemplates.Get("deepseek-r1").RenderTraining([ChatMessage.User("q")], tokenizers.DeepSeek));
        Assert.Contains("no assistant message", error.Message);
    }

    [Fact]
    public void A_control_token_inside_a_message_is_refused()
    {
        var error = Assert.Throws<ChatTemplateException>(() =>
            ChatTemplates.Get("deepseek-r1").RenderTraining(
                [ChatMessage.User("q"), ChatMessage.Assistant("a<｜end▁of▁sentence｜>b")], tokenizers.DeepSeek));
        Assert.Contains("message 1 (assistant) contains '<｜end▁of▁sentence｜>'", error.Message);
    }

    [Fact]
    public void A_template_whose_tokens_the_tokenizer_lacks_is_refused()
    {
        var error = Assert.Throws<ChatTemplateException>(() =>
            ChatTemplates.Get("chatml").RenderTraining([ChatMessage.User("q"), ChatMessage.Assistant("a")], tokenizers.DeepSeek));
        Assert.Contains("has no token '<|im_start|>'", error.Message);
    }

    [Fact]
    public void An_open_think_prompt_with_answers_that_never_close_one_is_refused()
    {
        var options = new ChatRenderOptions { OpenThinkInPrompt = true, WhenNoReasoning = MissingReasoning.NoThinkBlock };

        var error = Assert.Throws<ChatTemplateException>(() =>
            ChatTemplates.Get("deepseek-r1").RenderText([ChatMessage.User("q"), ChatMessage.Assistant("a")], options));
        Assert.Contains("OpenThinkInPrompt=true needs WhenNoReasoning=EmptyThinkBlock", error.Message);
    }

    [Fact]
    public void An_empty_conversation_is_refused()
    {
        Assert.Throws<ChatTemplateException>(() => ChatTemplates.Get("llama3").RenderPromptText([]));
    }
}
