namespace Tuneforge.Text;

/// <summary>One turn of a conversation.</summary>
/// <param name="Role">"system", "user" or "assistant" (see <see cref="ChatRoles"/>); "tool" for a tool's result, which
/// only a tokenizer's own template renders.</param>
/// <param name="Content">The text of the turn. An assistant answer may carry its reasoning inline as
/// <c>&lt;think&gt;…&lt;/think&gt;answer</c>.</param>
/// <param name="Reasoning">An assistant's reasoning given apart from the answer (wins over inline reasoning); a
/// tokenizer's template sees it as <c>reasoning_content</c>.</param>
public sealed record ChatMessage(string Role, string Content, string? Reasoning = null)
{
    /// <summary>The tools an assistant turn calls (<c>tool_calls</c>); only a tokenizer's own template renders them.</summary>
    public IReadOnlyList<ChatToolCall>? ToolCalls { get; init; }

    /// <summary>For a "tool" message: the id of the call it answers (<c>tool_call_id</c>).</summary>
    public string? ToolCallId { get; init; }

    /// <summary>The message's <c>name</c> (a tool message's tool name, in some formats).</summary>
    public string? Name { get; init; }

    /// <summary>A system message.</summary>
    public static ChatMessage System(string content) => new(ChatRoles.System, content);

    /// <summary>A user message.</summary>
    public static ChatMessage User(string content) => new(ChatRoles.User, content);

    /// <summary>An assistant message, with its reasoning if it has any.</summary>
    public static ChatMessage Assistant(string content, string? reasoning = null) => new(ChatRoles.Assistant, content, reasoning);
}

/// <summary>The roles a <see cref="ChatMessage"/> may have.</summary>
public static class ChatRoles
{
    /// <summary>Instructions that frame the conversation.</summary>
    public const string System = "system";

    /// <summary>The person's turn.</summary>
    public const string User = "user";

    /// <summary>The model's turn: what training teaches.</summary>
    public const string Assistant = "assistant";

    /// <summary>A tool's result, answering an assistant's tool call (tokenizer templates only).</summary>
    public const string Tool = "tool";

    /// <summary>The roles the named templates render, in the order above.</summary>
    public static IReadOnlyList<string> All { get; } = [System, User, Assistant];
}
