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

    [Fact]
    public void Beside_a_models_tokenizer_files_the_template_goes_into_the_file_and_tokenizer_config()
    {
        using var folder = new TempFolder();
        string directory = Llama3TemplateTests.Llama3Tokenizer().WriteTo(folder);
        string trained = ChatTemplateText.Of(ChatTemplates.Get("llama3"));

        ChatTemplateText.WriteBesideWeights(directory, trained);

        Assert.Equal(trained, ChatTemplateText.Read(directory));
        Assert.Equal(trained, System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "tokenizer_config.json")))!["chat_template"]!.GetValue<string>());
        Assert.True(ChatTemplateText.RequireStored(trained, "llama3", directory));
        using var nothingStored = new TempFolder();
        Assert.False(ChatTemplateText.RequireStored(trained, "llama3", nothingStored.Path));
    }

    [Fact]
    public void The_named_form_of_a_jinja_text_is_found_with_its_options_and_a_checkpoints_own_has_none()
    {
        var noThink = new ChatRenderOptions { WhenNoReasoning = MissingReasoning.NoThinkBlock };
        var chatMlEmpty = new ChatRenderOptions { WhenNoReasoning = MissingReasoning.EmptyThinkBlock, OpenThinkInPrompt = true };

        var deepSeek = ChatTemplateText.NamedFormOf(ChatTemplateText.Of(ChatTemplates.Get("deepseek-r1"), noThink));
        var chatMl = ChatTemplateText.NamedFormOf(ChatTemplateText.Of(ChatTemplates.Get("qwen"), chatMlEmpty));

        Assert.Equal(("deepseek-r1", MissingReasoning.NoThinkBlock, false), (deepSeek!.Value.Template.Name, deepSeek.Value.Options.WhenNoReasoning, deepSeek.Value.Options.OpenThinkInPrompt));
        Assert.Equal(("chatml", MissingReasoning.EmptyThinkBlock, true), (chatMl!.Value.Template.Name, chatMl.Value.Options.WhenNoReasoning, chatMl.Value.Options.OpenThinkInPrompt));
        Assert.Null(ChatTemplateText.NamedFormOf(tokenizers.Qwen.ChatTemplateJinja!));
    }
}
