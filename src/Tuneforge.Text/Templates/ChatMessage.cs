namespace Tuneforge.Text;

/// <summary>One turn of a conversation.</summary>
/// <param name="Role">"system", "user" or "assistant" (see <see cref="ChatRoles"/>).</param>
/// <param name="Content">The text of the turn. An assistant answer may carry its reasoning inline as
/// <c>&lt;think&gt;…&lt;/think&gt;answer</c>.</param>
/// <param name="Reasoning">An assistant's reasoning given apart from the answer (wins over inline reasoning).</param>
public sealed record ChatMessage(string Role, string Content, string? Reasoning = null)
{
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

    /// <summary>All roles, in the order above.</summary>
    public static IReadOnlyList<string> All { get; } = [System, User, Assistant];
}
