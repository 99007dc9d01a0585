using Tuneforge.Pipeline.Spec;
using Tuneforge.Serve.Tests.Support;
using Tuneforge.Serve.Torch;
using Tuneforge.Text;

namespace Tuneforge.Serve.Tests.Torch;

/// <summary>Serve renders with the template the weights were trained with, and refuses to start when the pipeline's differs.</summary>
public sealed class ServedTemplateTests
{
    private static readonly HfTokenizer Tokenizer = HfTokenizer.Load(RepositoryFiles.Tokenizer("deepseek-r1"));
    private static readonly ChatMessage[] Question = [ChatMessage.User("发票多久能开？")];

    [Fact]
    public void The_serve_stage_checks_the_adapters_template_against_the_pipelines_and_names_both_files()
    {
        using var folder = new TempFolder();
        var adapter = folder.File("adapter");
        ChatTemplateText.Write(adapter, ChatTemplateText.Of(ChatTemplates.Get("deepseek-r1")));

        var same = ServedTemplate.Choose(new ModelSpec { ChatTemplate = "deepseek-r1" }, null, adapter, null, Tokenizer);
        var error = Assert.Throws<ChatTemplateException>(() => ServedTemplate.Choose(new ModelSpec { ChatTemplate = "tokenizer" }, null, adapter, null, Tokenizer));

        Assert.Equal("deepseek-r1", same.Template.Name);
        Assert.StartsWith($"{Path.Combine(adapter, "chat_template.jinja")} (the template the model was trained with) and " +
                          $"{Path.Combine(RepositoryFiles.Tokenizer("deepseek-r1"), "tokenizer_config.json")} chat_template (what the pipeline's " +
                          "model.chat_template resolves to) differ from line 1, column 2", error.Message);
    }

    [Fact]
    public void From_the_command_line_auto_serves_the_template_stored_with_the_adapter()
    {
        using var folder = new TempFolder();
        var adapter = folder.File("adapter");
        var noThink = new ChatRenderOptions { WhenNoReasoning = MissingReasoning.NoThinkBlock };
        ChatTemplateText.Write(adapter, ChatTemplateText.Of(ChatTemplates.Get("deepseek-r1"), noThink));

        var stored = ServedTemplate.Choose(null, null, adapter, null, Tokenizer);
        var withoutAdapter = ServedTemplate.Choose(null, null, null, null, Tokenizer);

        Assert.Equal(Path.Combine(adapter, "chat_template.jinja"), Assert.IsType<JinjaChatTemplate>(stored.Template).Origin);
        Assert.Equal(ChatTemplates.Get("deepseek-r1").RenderPromptText(Question, noThink), stored.Template.RenderPromptText(Question, stored.Options));
        Assert.Equal("<｜begin▁of▁sentence｜><｜User｜>发票多久能开？<｜Assistant｜>", stored.Template.RenderPromptText(Question, stored.Options));
        Assert.Equal(Tokenizer.ChatTemplateJinja, ChatTemplateText.Of(withoutAdapter.Template));   // auto, nothing stored: the tokenizer's own
    }
}
