using System.Text.Json.Nodes;

namespace Tuneforge.Text;

/// <summary>A message dict as OpenAI's API and transformers write it (role, content, reasoning_content, tool_calls, tool_call_id, name).</summary>
public static class ChatMessageJson
{
    /// <summary>Reads one message; null content (an assistant turn that only calls tools) reads as "".</summary>
    /// <exception cref="ChatTemplateException">The role is missing, or a field has the wrong type.</exception>
    public static ChatMessage Read(JsonObject message)
    {
        ArgumentNullException.ThrowIfNull(message);
        string role = Text(message, "role") ?? throw new ChatTemplateException("a message has no 'role'.");
        IReadOnlyList<ChatToolCall>? calls = message["tool_calls"] is JsonArray array
            ? array.Select((call, i) => ToolCall(call as JsonObject ?? throw new ChatTemplateException($"tool_calls[{i}] is not an object."), i)).ToArray()
            : null;
        return new ChatMessage(role, Text(message, "content") ?? "", Text(message, "reasoning_content"))
        {
            ToolCalls = calls,
            ToolCallId = Text(message, "tool_call_id"),
            Name = Text(message, "name"),
        };
    }

    private static ChatToolCall ToolCall(JsonObject call, int index)
    {
        JsonObject function = call["function"] as JsonObject ?? throw new ChatTemplateException($"tool_calls[{index}] has no 'function' object.");
        string name = Text(function, "name") ?? throw new ChatTemplateException($"tool_calls[{index}].function has no 'name'.");
        return new ChatToolCall(name, function["arguments"]?.DeepClone(), Text(call, "id")) { Type = Text(call, "type") ?? "function" };
    }

    private static string? Text(JsonObject obj, string key) => obj[key] switch
    {
        null => null,
        JsonValue value when value.TryGetValue(out string? text) => text,
        var other => throw new ChatTemplateException($"'{key}' must be a string, not {other.GetValueKind().ToString().ToLowerInvariant()}."),
    };
}
