namespace Tuneforge.Text.Jinja;

/// <summary>
/// Messages and tools as a chat template sees them: the dicts transformers passes (role, content, reasoning_content,
/// tool_calls with function.name/arguments, tool_call_id, name).
/// </summary>
internal static class ConversationValues
{
    /// <param name="nullToolCallContent">
    /// Pass an assistant turn that only calls tools with content None (OpenAI's form, which DeepSeek's template expects)
    /// instead of "" (which Qwen3's, Llama's and Gemma's expect).
    /// </param>
    public static ListValue Messages(IReadOnlyList<ChatMessage> messages, bool nullToolCallContent) =>
        new(messages.Select(m => (object?)Message(m, nullToolCallContent)).ToArray());

    public static ListValue Tools(IReadOnlyList<System.Text.Json.Nodes.JsonObject> tools) =>
        new(tools.Select(t => JinjaValues.FromJson(t)).ToArray());

    public static bool OnlyCallsTools(ChatMessage message) => message.ToolCalls is { Count: > 0 } && message.Content.Length == 0;

    private static DictValue Message(ChatMessage message, bool nullToolCallContent)
    {
        var dict = new DictValue();
        dict.Set("role", message.Role);
        dict.Set("content", nullToolCallContent && OnlyCallsTools(message) ? null : message.Content);
        if (message.Reasoning is not null)
        {
            dict.Set("reasoning_content", message.Reasoning);
        }

        if (message.ToolCalls is { Count: > 0 } calls)
        {
            dict.Set("tool_calls", new ListValue(calls.Select(call => (object?)ToolCall(call)).ToArray()));
        }

        if (message.ToolCallId is not null)
        {
            dict.Set("tool_call_id", message.ToolCallId);
        }

        if (message.Name is not null)
        {
            dict.Set("name", message.Name);
        }

        return dict;
    }

    private static DictValue ToolCall(ChatToolCall call)
    {
        var function = new DictValue();
        function.Set("name", call.Name);
        function.Set("arguments", JinjaValues.FromJson(call.Arguments));
        var dict = new DictValue();
        if (call.Id is not null)
        {
            dict.Set("id", call.Id);
        }

        dict.Set("type", call.Type);
        dict.Set("function", function);
        return dict;
    }
}
