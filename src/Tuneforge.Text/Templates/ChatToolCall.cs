using System.Text.Json.Nodes;

namespace Tuneforge.Text;

/// <summary>One tool call of an assistant turn, as OpenAI's API and transformers write it.</summary>
/// <param name="Name">The function's name.</param>
/// <param name="Arguments">The arguments: a JSON string (OpenAI's form, which DeepSeek's template needs) or a JSON object
/// (transformers' recommended form, which Qwen3's template writes with tojson).</param>
/// <param name="Id">The call's id, if the data has one.</param>
public sealed record ChatToolCall(string Name, JsonNode? Arguments, string? Id = null)
{
    /// <summary>The call's <c>type</c>; always "function" in the formats chat templates know.</summary>
    public string Type { get; init; } = "function";
}
