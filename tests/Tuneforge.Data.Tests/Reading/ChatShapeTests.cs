using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Data.Tests.Reading;

public class ChatShapeTests
{
    static CleanSpec NoDedupe => new() { DedupeExact = false, NearDedupe = new NearDedupeSpec { Enabled = false }, MinChars = 0 };

    [Fact]
    public void ShareGPT_conversations_map_human_gpt_and_system_with_the_system_field_first()
    {
        using var w = new Workspace();
        w.WriteJsonl("sg.jsonl", [
            new { id = "s1", system = "你是客服。", conversations = new[] { new { from = "human", value = "运费多少？" }, new { from = "gpt", value = "满99包邮。" } } },
            new { id = "s2", conversations = new[] { new { from = "system", value = "Be brief." }, new { from = "human", value = "Hi" }, new { from = "gpt", value = "Hello" }, new { from = "human", value = "Bye" }, new { from = "gpt", value = "Bye!" } } },
        ]);
        w.Clean(Workspace.Sources("sg.jsonl"), NoDedupe);
        var kept = w.Kept();
        Assert.Equal([ChatMessage.System("你是客服。"), ChatMessage.User("运费多少？"), ChatMessage.Assistant("满99包邮。")], kept[0].Messages);
        Assert.Equal(["system", "user", "assistant", "user", "assistant"], kept[1].Messages.Select(m => m.Role));
        Assert.Empty(kept[0].Metadata);
    }

    [Fact]
    public void ShareGPT_tool_turns_and_unknown_roles_are_rejected_with_the_turn_named()
    {
        using var w = new Workspace();
        w.WriteJsonl("sg.jsonl", [
            new { conversations = new[] { new { from = "human", value = "天气？" }, new { from = "function_call", value = "{\"name\":\"weather\"}" }, new { from = "observation", value = "晴" }, new { from = "gpt", value = "晴天。" } } },
            new { conversations = new[] { new { from = "human", value = "Hi" }, new { from = "bot", value = "Hello" } } },
        ]);
        w.Clean(Workspace.Sources("sg.jsonl"), NoDedupe);
        var rejects = w.Rejects();
        Assert.Equal("tool_calls", rejects[0].GetProperty("reason").GetString());
        Assert.StartsWith("conversations[1] is a 'function_call' turn: the chat templates here (deepseek-r1, chatml, llama3) have no tool-call format", rejects[0].GetProperty("detail").GetString());
        Assert.Equal("unknown_role", rejects[1].GetProperty("reason").GetString());
        Assert.Equal("conversations[1].from is 'bot'; ShareGPT roles are human, gpt and system.", rejects[1].GetProperty("detail").GetString());
    }

    [Fact]
    public void OpenAI_messages_keep_reasoning_content_through_clean_and_read_text_parts_and_developer_as_system()
    {
        using var w = new Workspace();
        w.Write("o.jsonl", """
            {"messages":[{"role":"developer","content":"Answer in Chinese."},{"role":"user","content":[{"type":"text","text":"退货"},{"type":"text","text":"怎么办？"}]},{"role":"assistant","content":"七天无理由。","reasoning_content":"用户问退货政策。"}]}

            """);
        w.Clean(Workspace.Sources("o.jsonl"), NoDedupe);
        var record = Assert.Single(w.Kept());
        Assert.Equal([ChatMessage.System("Answer in Chinese."), ChatMessage.User("退货怎么办？"), ChatMessage.Assistant("七天无理由。", "用户问退货政策。")], record.Messages);
        Assert.Contains("\"reasoning\":\"用户问退货政策。\"", w.ReadOutput("clean.jsonl"));
    }

    [Fact]
    public void OpenAI_tool_calls_and_tool_messages_are_refused_and_fail_the_stage_when_invalid_records_fail()
    {
        using var w = new Workspace();
        w.Write("o.jsonl", """
            {"messages":[{"role":"user","content":"查订单"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"order","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c1","content":"已发货"},{"role":"assistant","content":"已发货。"}]}
            {"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x.png"}}]},{"role":"assistant","content":"猫"}]}

            """);
        w.Clean(Workspace.Sources("o.jsonl"), NoDedupe);
        var rejects = w.Rejects();
        Assert.Equal("tool_calls", rejects[0].GetProperty("reason").GetString());
        Assert.StartsWith("messages[1] is a tool call (tool_calls)", rejects[0].GetProperty("detail").GetString());
        Assert.Equal("messages[0].content[0] is a 'image_url' part; only text parts can be trained here (images and audio cannot).", rejects[1].GetProperty("detail").GetString());

        var e = Assert.Throws<DataException>(() => w.Clean(Workspace.Sources("o.jsonl") with { OnInvalidRecord = InvalidRecordPolicy.Fail }, NoDedupe));
        Assert.StartsWith("o.jsonl:1: unusable record (tool_calls): messages[1] is a tool call (tool_calls): ", e.Message);
        Assert.Contains("Remove its tool turns (or the record)", e.Message);
    }

    [Fact]
    public void Prompt_completion_pairs_read_as_strings_and_as_lists_of_messages()
    {
        using var w = new Workspace();
        w.Write("pc.jsonl", """
            {"prompt":"发票怎么开？","completion":"订单页申请。","system":"你是客服。"}
            {"prompt":[{"role":"user","content":"Hi"}],"completion":[{"role":"assistant","content":"Hello","reasoning_content":"greet back"}]}
            {"prompt":"Only a prompt"}

            """);
        w.Clean(Workspace.Sources("pc.jsonl"), NoDedupe);
        var kept = w.Kept();
        Assert.Equal([ChatMessage.System("你是客服。"), ChatMessage.User("发票怎么开？"), ChatMessage.Assistant("订单页申请。")], kept[0].Messages);
        Assert.Equal([ChatMessage.User("Hi"), ChatMessage.Assistant("Hello", "greet back")], kept[1].Messages);
        var reject = Assert.Single(w.Rejects());
        Assert.StartsWith("'prompt' has no 'completion' beside it", reject.GetProperty("detail").GetString());
    }

    [Fact]
    public void Messages_and_conversations_in_one_record_are_ambiguous()
    {
        using var w = new Workspace();
        w.Write("a.jsonl", """{"messages":[],"conversations":[]}""" + "\n");
        w.Clean(Workspace.Sources("a.jsonl"), NoDedupe);
        Assert.Equal(RejectReason.AmbiguousShape, Assert.Single(w.Rejects()).GetProperty("reason").GetString());
    }
}
