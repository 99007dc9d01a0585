namespace Tuneforge.Text.Tests.Templates.Jinja;

[Collection(RealTokenizersCollection.Name)]
public sealed class ChatTemplateTextTests(RealTokenizers tokenizers)
{
    [Fact]
    public void A_chat_template_file_beside_the_tokenizer_is_its_template()
    {
        using var folder = new TempFolder();
        SyntheticTokenizer synthetic = Llama3TemplateTests.Llama3Tokenizer();
        synthetic.Config!["chat_template"] = "from the config";
        string directory = synthetic.WriteTo(folder);
        const string trained = "{% for m in messages %}{{ m.content }}<|eot_id|>{% endfor %}\n";

        string path = ChatTemplateText.Write(directory, trained);
        HfTokenizer tokenizer = HfTokenizer.Load(directory);

        Assert.Equal(Path.Combine(directory, "chat_template.jinja"), path);
        Assert.Equal(trained, ChatTemplateText.Read(directory));
        Assert.Equal(trained, tokenizer.ChatTemplateJinja);
        Assert.Equal(trained, ChatTemplateText.Of(ChatTemplates.Resolve("tokenizer", tokenizer)));
        Assert.Equal(path, JinjaChatTemplate.FromTokenizer(tokenizer).Origin);
    }

    [Fact]
    public void A_tokenizer_templates_text_is_its_source_and_a_named_ones_is_its_jinja_form()
    {
        Assert.Contains("{%- set end_of_turn = '<｜end▁of▁sentence｜>' -%}", ChatTemplateText.Of(ChatTemplates.Get("deepseek-r1")));
        Assert.Equal(tokenizers.Qwen.ChatTemplateJinja, ChatTemplateText.Of(JinjaChatTemplate.FromTokenizer(tokenizers.Qwen)));
    }

    [Fact]
    public void A_copy_that_differs_by_one_newline_is_refused_with_where_it_differs()
    {
        string trained = tokenizers.Qwen.ChatTemplateJinja!;
        string copy = trained.Replace("{%- if tools %}\n", "{%- if tools %}\n\n", StringComparison.Ordinal);

        ChatTemplateText.RequireSame(trained, trained, "model.gguf tokenizer.chat_template");
        var error = Assert.Throws<ChatTemplateException>(() => ChatTemplateText.RequireSame(trained, copy, "model.gguf tokenizer.chat_template"));
        var missing = Assert.Throws<ChatTemplateException>(() => ChatTemplateText.RequireSame(trained, null, "Modelfile"));

        Assert.StartsWith("model.gguf tokenizer.chat_template: the chat template differs from the one the model was trained with, from line 2, column 1 (trained: \"    {{- '<|im_start|>system", error.Message);
        Assert.Equal("Modelfile has no chat template, but the model was trained with one; write the training template there.", missing.Message);
    }
}
