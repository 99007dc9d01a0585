using Tuneforge.Pipeline.Loading;

namespace Tuneforge.Pipeline.Tests;

public class ChatTemplateSpecTests
{
    const string Minimal = "name: demo\ndata:\n  sources: [data/a.jsonl]\n";

    [Fact]
    public void The_tokenizer_template_and_its_kwargs_are_read_from_the_model_section()
    {
        var spec = SpecLoader.Parse(Minimal + "model:\n  chat_template: tokenizer\n  chat_template_kwargs:\n    enable_thinking: false\n    date_string: 26 Jul 2024\n", "pipelines/demo.yaml");

        Assert.Equal("tokenizer", spec.Model.ChatTemplate);
        Assert.Equal(new Dictionary<string, string> { ["enable_thinking"] = "false", ["date_string"] = "26 Jul 2024" }, spec.Model.ChatTemplateKwargs);
    }

    [Fact]
    public void An_unknown_chat_template_choice_is_refused_with_its_yaml_path()
    {
        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse(Minimal + "model:\n  chat_template: jinja\n", "pipelines/demo.yaml"));

        Assert.StartsWith("pipelines/demo.yaml:5:18: model.chat_template: 'jinja' is not one of: auto, tokenizer, deepseek-r1, chatml, qwen, llama3.", e.Message);
    }
}
