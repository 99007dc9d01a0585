using System.Text.Json.Nodes;
using Tuneforge.Data.Training;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Serve.Generation;
using Tuneforge.Serve.LlamaCpp;
using Tuneforge.Serve.Tests.Support;
using Tuneforge.Text;

namespace Tuneforge.Serve.Tests.Api;

/// <summary>
/// A GGUF file is served with the chat template it carries, rendered as Hugging Face renders it; from the Serve stage
/// the file must carry exactly the pipeline's template.
/// </summary>
public sealed class LlamaCppTemplateTests
{
    private const string DeepSeekBos = "<｜begin▁of▁sentence｜>";

    private static readonly string GemmaFixture = Path.Combine(RepositoryFiles.Root, "tests", "Tuneforge.Text.Tests", "JinjaParity", "fixtures", "gemma3.json");

    private static LlamaCppBackend Load(TinyGguf gguf, string? choice = null, ChatSetup? pipeline = null) =>
        LlamaCppBackend.Load(new GgufModelRequest(gguf.Path, choice, Threads: 2, ContextPerRequest: 256, PipelineChat: pipeline), new BatchOptions(1, TimeSpan.Zero), _ => { });

    [Theory]
    [InlineData("system_and_prompt+gen")]
    [InlineData("ends_with_user+gen")]
    public void A_template_no_named_one_knows_is_rendered_as_hugging_faces_jinja_renders_it(string caseId)
    {
        var fixture = JsonNode.Parse(File.ReadAllText(GemmaFixture))!;
        var parity = fixture["cases"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == caseId)!;
        var messages = parity["variables"]!["messages"]!.AsArray()
            .Select(m => new ChatMessage(m!["role"]!.GetValue<string>(), m["content"]!.GetValue<string>())).ToList();
        // Hugging Face's output for Gemma's vocabulary, with this file's BOS in place of Gemma's <bos>.
        var expected = parity["expected"]!["output"]!.GetValue<string>().Replace("<bos>", DeepSeekBos, StringComparison.Ordinal);
        using var gguf = TinyGguf.WithTemplate(fixture["template"]!.GetValue<string>());
        using var backend = Load(gguf);

        Assert.Equal("tokenizer", backend.Info.ChatTemplate);
        Assert.Contains("<start_of_turn>model\n", expected, StringComparison.Ordinal);
        Assert.Equal(gguf.Tokenizer.Encode(expected), backend.Prepare(messages).Ids);
    }

    [Fact]
    public void The_deepseek_files_own_template_gives_the_tokenizers_prompt_and_a_named_choice_still_wins()
    {
        using var gguf = new TinyGguf();
        ChatMessage[] conversation = [ChatMessage.System("你是客服。"), ChatMessage.User("发票多久能开？")];
        using var own = Load(gguf);
        using var named = Load(gguf, "deepseek-r1");

        var tokenizerTemplate = JinjaChatTemplate.FromTokenizer(gguf.Tokenizer);
        Assert.Equal(tokenizerTemplate.RenderPrompt(conversation, gguf.Tokenizer), own.Prepare(conversation).Ids);
        Assert.Equal(ChatTemplates.Get("deepseek-r1").RenderPrompt(conversation, gguf.Tokenizer), named.Prepare(conversation).Ids);
        Assert.Equal("deepseek-r1", named.Info.ChatTemplate);
    }

    [Fact]
    public void From_the_serve_stage_the_pipelines_template_and_system_prompt_are_served_when_the_file_carries_that_template()
    {
        using var gguf = new TinyGguf();
        var pipeline = ChatSetup.From(new ModelSpec { ChatTemplate = "tokenizer", SystemPrompt = "你是客服。" }, gguf.Tokenizer);
        using var backend = Load(gguf, pipeline: pipeline);

        ChatMessage[] question = [ChatMessage.User("发票多久能开？")];
        Assert.Equal(pipeline.Template.RenderPrompt(pipeline.WithSystemPrompt(question), gguf.Tokenizer), backend.Prepare(question).Ids);
        Assert.Contains("你是客服。", gguf.Tokenizer.Decode(backend.Prepare(question).Ids), StringComparison.Ordinal);
    }

    [Fact]
    public void From_the_serve_stage_a_file_whose_template_differs_from_the_pipelines_is_refused_naming_where_they_part()
    {
        using var gguf = new TinyGguf();
        var pipeline = ChatSetup.From(new ModelSpec { ChatTemplate = "chatml" }, gguf.Tokenizer);

        var error = Assert.Throws<ChatTemplateException>(() => Load(gguf, pipeline: pipeline));

        Assert.StartsWith($"{gguf.Path} tokenizer.chat_template: the chat template differs from the one the model was trained with, from line 1, column 2 " +
                          "(trained: \"#- Tuneforge's chatml chat template as J\", found: '% if not add_generation_prompt is define')", error.Message);
    }

    [Fact]
    public void A_file_without_a_template_is_served_by_detection_but_refused_when_its_own_template_is_asked_for()
    {
        using var gguf = TinyGguf.WithTemplate(null);
        using var detected = Load(gguf);

        var error = Assert.Throws<ChatTemplateException>(() => Load(gguf, ChatTemplates.Tokenizer));

        Assert.Equal("deepseek-r1", detected.Info.ChatTemplate);
        Assert.Equal($"{gguf.Path} has no tokenizer.chat_template, but --chat-template is tokenizer. Name a template instead (deepseek-r1, chatml, qwen, llama3), or write the GGUF file again with Quantize.", error.Message);
    }
}
