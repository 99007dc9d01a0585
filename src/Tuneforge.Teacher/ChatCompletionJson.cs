using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Teacher;

/// <summary>The OpenAI chat-completions wire format: the request body we send and the reply we accept.</summary>
internal static class ChatCompletionJson
{
    public static string Body(TeacherSpec spec, TeacherRequest request) => new JsonObject
    {
        ["model"] = spec.Model,
        ["messages"] = new JsonArray(request.Messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content }).ToArray()),
        ["temperature"] = spec.Temperature,
        ["top_p"] = spec.TopP,
        ["max_tokens"] = spec.MaxTokens,
        ["seed"] = spec.Seed + request.Sample,
        ["stream"] = false,
    }.ToJsonString();

    /// <summary>The reply, or null with what is wrong when the body is not a chat completion.</summary>
    public static TeacherReply? Parse(string body, out string problem)
    {
        problem = "";
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            problem = $"not JSON ({e.Message})";
            return null;
        }

        if (root is not JsonObject obj || obj["choices"] is not JsonArray { Count: > 0 } choices || choices[0]?["message"] is not JsonObject message)
        {
            problem = "no choices[0].message";
            return null;
        }

        JsonNode? contentNode = message["content"];
        if (contentNode is not null && (contentNode is not JsonValue value || value.GetValueKind() != JsonValueKind.String))
        {
            problem = "choices[0].message.content is not a string";
            return null;
        }

        string content = contentNode?.GetValue<string>() ?? "";
        string? reasoning = message["reasoning_content"] is JsonValue r && r.GetValueKind() == JsonValueKind.String ? r.GetValue<string>() : null;
        if (reasoning is null && content.Contains("</think>", StringComparison.Ordinal))
        {
            ReasoningSplit split = ReasoningSplitter.Split(content);
            (reasoning, content) = (split.Reasoning, split.Answer);
        }

        string finish = choices[0]?["finish_reason"] is JsonValue f && f.GetValueKind() == JsonValueKind.String ? f.GetValue<string>() : "";
        return new TeacherReply(content, reasoning, Tokens(obj, "prompt_tokens"), Tokens(obj, "completion_tokens"), finish);
    }

    /// <summary>The server's own error text ({"error":{"message":…}} or the body's start), for messages.</summary>
    public static string ErrorText(string body)
    {
        try
        {
            if (JsonNode.Parse(body)?["error"] is { } error)
            {
                return error is JsonObject o && o["message"] is JsonValue m ? m.ToString() : error.ToJsonString();
            }
        }
        catch (JsonException)
        {
        }

        return Start(body);
    }

    public static string Start(string body) => body.Length <= 200 ? body : body[..200] + "…";

    private static long Tokens(JsonObject root, string name) =>
        root["usage"]?[name] is JsonValue value && value.TryGetValue(out long tokens) ? tokens : 0;
}
