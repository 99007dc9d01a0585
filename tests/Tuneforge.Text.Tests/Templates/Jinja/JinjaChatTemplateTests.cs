using System.Text.Json.Nodes;
using Tuneforge.Text.Tests.JinjaParity;

namespace Tuneforge.Text.Tests.Templates.Jinja;

[Collection(RealTokenizersCollection.Name)]
public sealed class JinjaChatTemplateTests(RealTokenizers tokenizers)
{
    public static TheoryData<string> TemplateFiles => ["deepseek_v3.json", "qwen3.json", "llama3_1.json", "gemma3.json"];

    [Theory]
    [MemberData(nameof(TemplateFiles))]
    public void Chat_messages_render_as_the_fixture_dicts_render_in_jinja2(string file)
    {
        // ChatMessage -> the dicts transformers passes; a tool-call turn's null content is written "" and the template's
        // own choice is found by rendering (DeepSeek's needs None), so null-content cases are compared where that holds.
        string source = ParityFixtures.TemplateOf(file);
        int compared = 0;
        int refused = 0;
        foreach (ParityCase c in ParityFixtures.Load(file).Where(c => c.Output is not null))
        {
            var messages = c.Variables["messages"]!.AsArray().Select(m => ChatMessageJson.Read(m!.AsObject())).ToArray();
            bool nullContent = c.Variables["messages"]!.AsArray().Any(m => m!["content"] is null);
            if (nullContent && file != "deepseek_v3.json")
            {
                continue;
            }

            var kwargs = c.Variables.TryGetPropertyValue("enable_thinking", out JsonNode? thinking)
                ? ChatTemplateKwargs.From([new("enable_thinking", thinking!.GetValue<bool>())])
                : null;
            var template = new JinjaChatTemplate(source, file, c.Variables["bos_token"]?.GetValue<string>(), c.Variables["eos_token"]?.GetValue<string>(), kwargs);
            var options = new ChatRenderOptions { Tools = c.Variables["tools"]?.AsArray().Select(t => t!.AsObject()).ToArray() };

            string rendered;
            try
            {
                rendered = c.Variables["add_generation_prompt"]!.GetValue<bool>()
                    ? template.RenderPromptText(messages, options)
                    : template.RenderText(messages, options);
            }
            catch (ChatTemplateException e) when (e.Message.Contains("leaves out the tool calls", StringComparison.Ordinal))
            {
                // Refused rightly: Jinja2 rendered this conversation without its tool calls, silently.
                Assert.All(messages.SelectMany(m => m.ToolCalls ?? []), call => Assert.DoesNotContain(call.Name, c.Output!));
                refused++;
                continue;
            }

            Assert.True(c.Output == rendered, $"{c}: {rendered}");
            compared++;
        }

        Assert.True(compared >= 30, $"only {compared} cases compared");
        Assert.Equal(file is "llama3_1.json" or "deepseek_v3.json" ? 4 : 0, refused);
    }

    [Fact]
    public void Resolve_chooses_the_tokenizers_template_for_tokenizer_and_auto_and_a_named_one_by_name()
    {
        Assert.IsType<JinjaChatTemplate>(ChatTemplates.Resolve("tokenizer", tokenizers.Qwen));
        Assert.IsType<JinjaChatTemplate>(ChatTemplates.Resolve("auto", tokenizers.DeepSeek));
        Assert.Equal("chatml", ChatTemplates.Resolve("chatml", tokenizers.Qwen).Name);

        using var folder = new TempFolder();
        HfTokenizer withoutTemplate = HfTokenizer.Load(Llama3TemplateTests.Llama3Tokenizer().WriteTo(folder));
        Assert.Equal("llama3", ChatTemplates.Resolve("auto", withoutTemplate).Name);
        var error = Assert.Throws<ChatTemplateException>(() => ChatTemplates.Resolve("tokenizer", withoutTemplate));
        Assert.Equal(
            $"{Path.Combine(folder.Path, "tokenizer_config.json")} has no chat_template, so there is no tokenizer template to render. " +
            "Name a template in model.chat_template (deepseek-r1, chatml, qwen, llama3).",
            error.Message);
    }

    [Fact]
    public void Kwargs_for_a_named_template_are_refused()
    {
        var error = Assert.Throws<ChatTemplateException>(() =>
            ChatTemplates.Resolve("chatml", tokenizers.Qwen, ChatTemplateKwargs.From([new("enable_thinking", false)])));

        Assert.StartsWith("chat_template_kwargs (enable_thinking) are variables of a tokenizer's Jinja template, but the chat template is 'chatml'", error.Message);
    }

    [Fact]
    public void Kwargs_from_the_pipeline_read_yaml_scalars_as_typed_values()
    {
        ChatTemplateKwargs kwargs = ChatTemplateKwargs.FromScalars(new Dictionary<string, string>
        {
            ["enable_thinking"] = "false", ["max"] = "3", ["ratio"] = "1.5", ["date_string"] = "26 Jul 2024", ["nothing"] = "null",
        });

        Assert.Equal(
            [new("enable_thinking", false), new("max", 3L), new("ratio", 1.5), new("date_string", "26 Jul 2024"), new KeyValuePair<string, object?>("nothing", null)],
            kwargs.Values);
        var error = Assert.Throws<ChatTemplateException>(() => ChatTemplateKwargs.FromScalars(new Dictionary<string, string> { ["messages"] = "x" }));
        Assert.Equal("chat_template_kwargs.messages: Tuneforge sets 'messages' itself from the conversation; remove it from the kwargs.", error.Message);
    }

    [Fact]
    public void Qwen3_with_thinking_off_ends_its_prompt_in_an_empty_think_block()
    {
        var template = (JinjaChatTemplate)ChatTemplates.Resolve("tokenizer", tokenizers.Qwen, ChatTemplateKwargs.From([new("enable_thinking", false)]));

        Assert.Equal("<|im_start|>user\n你好<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n", template.RenderPromptText([ChatMessage.User("你好")]));
        Assert.False(template.OpensThinkInPrompt);
        Assert.Equal(["<|im_end|>"], template.StopStrings);
        Assert.Equal([tokenizers.Qwen.TokenToId("<|im_end|>")!.Value], template.StopTokenIds(tokenizers.Qwen));
    }

    [Fact]
    public void The_end_of_turn_and_an_open_think_prompt_are_read_from_the_template()
    {
        JinjaChatTemplate deepSeek = JinjaChatTemplate.FromTokenizer(tokenizers.DeepSeek);
        var r1 = new JinjaChatTemplate(
            "{{ bos_token }}{% for m in messages %}{% if m.role == 'user' %}<｜User｜>{{ m.content }}{% else %}<｜Assistant｜>{{ m.content }}<｜end▁of▁sentence｜>{% endif %}{% endfor %}" +
            "{% if add_generation_prompt %}<｜Assistant｜><think>\n{% endif %}",
            "r1", "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>");

        Assert.Equal("<｜end▁of▁sentence｜>", deepSeek.EndOfTurn);
        Assert.False(deepSeek.OpensThinkInPrompt);
        Assert.True(r1.OpensThinkInPrompt);
        Assert.Equal(new ReasoningSplit("check the policy", "Within 48 hours.", IsComplete: true), r1.SplitReasoning("check the policy\n</think>\n\nWithin 48 hours."));
        Assert.Equal("<end_of_turn>", new JinjaChatTemplate(ParityFixtures.TemplateOf("gemma3.json"), "gemma3", "<bos>", "<eos>").EndOfTurn);
    }

    [Fact]
    public void The_list_forms_tool_use_template_renders_conversations_with_tools()
    {
        using var folder = new TempFolder();
        SyntheticTokenizer synthetic = Llama3TemplateTests.Llama3Tokenizer();
        synthetic.Config!["chat_template"] = new JsonArray(
            new JsonObject { ["name"] = "default", ["template"] = "{% for m in messages %}{{ m.content }}<|eot_id|>{% endfor %}" },
            new JsonObject { ["name"] = "tool_use", ["template"] = "tools={{ tools|length }}:{% for m in messages %}{{ m.content }}<|eot_id|>{% endfor %}" });
        HfTokenizer tokenizer = HfTokenizer.Load(synthetic.WriteTo(folder));
        JinjaChatTemplate template = JinjaChatTemplate.FromTokenizer(tokenizer);
        ChatMessage[] messages = [ChatMessage.User("hi"), ChatMessage.Assistant("hello")];
        var withTools = new ChatRenderOptions { Tools = [JsonNode.Parse("""{"type": "function", "function": {"name": "f"}}""")!.AsObject()] };

        Assert.Equal("hi<|eot_id|>hello<|eot_id|>", template.RenderText(messages));
        Assert.Equal("tools=1:hi<|eot_id|>hello<|eot_id|>", template.RenderText(messages, withTools));
        Assert.Equal(["default", "tool_use"], tokenizer.NamedChatTemplates.Keys.Order());
    }

    [Fact]
    public void The_named_templates_refuse_tools_and_tool_calls()
    {
        var tools = new ChatRenderOptions { Tools = [new JsonObject { ["type"] = "function" }] };
        ChatMessage call = new(ChatRoles.Assistant, "") { ToolCalls = [new ChatToolCall("f", new JsonObject())] };

        var toolsError = Assert.Throws<ChatTemplateException>(() => ChatTemplates.Get("chatml").RenderText([ChatMessage.User("q"), ChatMessage.Assistant("a")], tools));
        var callError = Assert.Throws<ChatTemplateException>(() => ChatTemplates.Get("llama3").RenderText([ChatMessage.User("q"), call]));

        Assert.Equal("chatml: the named templates do not render tools. Use model.chat_template: tokenizer (the checkpoint's own template).", toolsError.Message);
        Assert.StartsWith("llama3: message 1 has tool calls, which the named templates do not render.", callError.Message);
    }

    [Fact]
    public void Reasoning_options_of_the_named_templates_are_refused_by_a_tokenizer_template()
    {
        var error = Assert.Throws<ChatTemplateException>(() => JinjaChatTemplate.FromTokenizer(tokenizers.Qwen)
            .RenderText([ChatMessage.User("q"), ChatMessage.Assistant("a")], new ChatRenderOptions { WhenNoReasoning = MissingReasoning.EmptyThinkBlock }));

        Assert.StartsWith("tokenizer: WhenNoReasoning, OpenThinkInPrompt, ThinkBlock and EarlierTurnsAsHistory choose how the named templates write reasoning", error.Message);
    }

    [Fact]
    public void A_control_token_inside_a_message_is_refused()
    {
        var error = Assert.Throws<ChatTemplateException>(() => JinjaChatTemplate.FromTokenizer(tokenizers.Qwen)
            .RenderTraining([ChatMessage.User("q"), ChatMessage.Assistant("a<|im_end|>b")], tokenizers.Qwen));

        Assert.StartsWith("tokenizer: message 1 (assistant) contains '<|im_end|>', a control token of this template.", error.Message);
    }
}
