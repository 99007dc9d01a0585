using System.Text.Json.Nodes;

namespace Tuneforge.Text.Tests.Templates;

public sealed class Llama3TemplateTests
{
    private static readonly IChatTemplate Template = ChatTemplates.Get("llama3");

    [Fact]
    public void A_conversation_renders_with_headers_and_trimmed_content()
    {
        ChatMessage[] messages = [ChatMessage.System("Be brief."), ChatMessage.User("  Hi \n"), ChatMessage.Assistant("Hello!")];

        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>" +
            "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>" +
            "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>",
            Template.RenderText(messages));
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            Template.RenderPromptText([ChatMessage.User("Hi")]));
    }

    [Fact]
    public void Training_masks_headers_and_trains_answers_with_their_end_of_turn()
    {
        using var folder = new TempFolder();
        HfTokenizer tokenizer = HfTokenizer.Load(Llama3Tokenizer().WriteTo(folder));
        ChatMessage[] messages = [ChatMessage.User("hi"), ChatMessage.Assistant("hello"), ChatMessage.User("bye"), ChatMessage.Assistant("ciao")];

        TokenizedExample example = Template.RenderTraining(messages, tokenizer);

        Assert.Equal(["hello<|eot_id|>", "ciao<|eot_id|>"], MaskView.TrainedRuns(example, tokenizer));
        Assert.Equal(tokenizer.BosId, example.InputIds[0]);
        Assert.Single(example.InputIds, id => id == tokenizer.BosId);
        Assert.Equal(tokenizer.TokenToId("<|eot_id|>"), example.InputIds[^1]);
        Assert.True(example.LossMask[^1]);
        Assert.Equal(
            [tokenizer.TokenToId("<|eot_id|>")!.Value, tokenizer.TokenToId("<|end_of_text|>")!.Value],
            Template.StopTokenIds(tokenizer));
    }

    [Fact]
    public void A_Llama3_vocabulary_is_detected_without_a_template_text()
    {
        using var folder = new TempFolder();
        HfTokenizer tokenizer = HfTokenizer.Load(Llama3Tokenizer().WriteTo(folder));

        Assert.Equal("llama3", ChatTemplates.Detect(tokenizer).Name);
    }

    internal static SyntheticTokenizer Llama3Tokenizer()
    {
        var tokenizer = new SyntheticTokenizer();
        tokenizer.Merges.AddRange([("h", "i"), ("e", "l"), ("el", "l"), ("ell", "o")]);
        tokenizer.AddedTokens.AddRange(
            [("<|begin_of_text|>", true), ("<|end_of_text|>", true), ("<|start_header_id|>", true), ("<|end_header_id|>", true), ("<|eot_id|>", true)]);
        tokenizer.Config = new JsonObject { ["bos_token"] = "<|begin_of_text|>", ["eos_token"] = "<|eot_id|>" };
        return tokenizer;
    }
}
