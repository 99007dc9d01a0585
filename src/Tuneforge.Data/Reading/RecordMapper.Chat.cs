using System.Text;
using System.Text.Json;
using Tuneforge.Data.Records;
using Tuneforge.Text;

namespace Tuneforge.Data.Reading;

internal sealed partial class RecordMapper
{
    // OpenAI chat: [{role, content, reasoning_content?}]; content may be a list of text parts; developer is system.
    List<ChatMessage>? ReadChat(JsonElement element, string name, out MappedRecord? problem)
    {
        problem = null;
        if (element.ValueKind != JsonValueKind.Array)
        {
            problem = MappedRecord.Invalid(RejectReason.WrongType, $"'{name}' must be an array of {{role, content}} objects, found {Kind(element)}.");
            return null;
        }
        var messages = new List<ChatMessage>(element.GetArrayLength());
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var message = ReadMessage(item, $"{name}[{index++}]", out problem);
            if (problem is not null) return null;
            messages.Add(message!);
        }
        problem = CheckTurns(messages, name);
        return problem is null ? messages : null;
    }

    static ChatMessage? ReadMessage(JsonElement item, string path, out MappedRecord? problem)
    {
        problem = null;
        if (item.ValueKind != JsonValueKind.Object)
        {
            problem = MappedRecord.Invalid(RejectReason.WrongType, $"{path} must be an object with role and content, found {Kind(item)}.");
            return null;
        }
        if (!Present(item, "role", out var roleElement))
        {
            problem = MappedRecord.Invalid(RejectReason.MissingField, $"{path} has no 'role'.");
            return null;
        }
        if (!Text(roleElement, $"{path}.role", out var role, ref problem)) return null;
        if (role == "tool")
        {
            problem = ToolTurn(path, "a tool result (role 'tool')");
            return null;
        }
        if (Present(item, "tool_calls", out var calls) && (calls.ValueKind != JsonValueKind.Array || calls.GetArrayLength() > 0))
        {
            problem = ToolTurn(path, "a tool call (tool_calls)");
            return null;
        }
        if (role == "developer") role = ChatRoles.System;
        if (!ChatRoles.All.Contains(role))
        {
            problem = MappedRecord.Invalid(RejectReason.UnknownRole, $"{path}.role is '{role}'; roles are system, user and assistant.");
            return null;
        }
        if (!Present(item, "content", out var contentElement))
        {
            problem = MappedRecord.Invalid(RejectReason.MissingField, $"{path} has no 'content'.");
            return null;
        }
        var content = Content(contentElement, $"{path}.content", ref problem);
        if (content is null) return null;
        string? reasoning = null;
        foreach (var field in ReasoningFields)
            if (Present(item, field, out var reasoningElement))
            {
                if (role != ChatRoles.Assistant)
                {
                    problem = MappedRecord.Invalid(RejectReason.WrongType, $"{path}.{field}: only an assistant message has reasoning, this one is '{role}'.");
                    return null;
                }
                if (!Text(reasoningElement, $"{path}.{field}", out reasoning, ref problem)) return null;
                break;
            }
        return new ChatMessage(role!, content, reasoning);
    }

    // DeepSeek's API and vLLM name it reasoning_content; some exports write reasoning.
    static readonly string[] ReasoningFields = ["reasoning_content", "reasoning"];

    // A string, or OpenAI's content parts: the text parts joined; any other part cannot be trained here.
    static string? Content(JsonElement element, string path, ref MappedRecord? problem)
    {
        if (element.ValueKind == JsonValueKind.String) return element.GetString();
        if (element.ValueKind != JsonValueKind.Array)
        {
            problem = MappedRecord.Invalid(RejectReason.WrongType, $"'{path}' must be a string or a list of text parts, found {Kind(element)}.");
            return null;
        }
        var text = new StringBuilder();
        var index = 0;
        foreach (var part in element.EnumerateArray())
        {
            var partPath = $"{path}[{index++}]";
            var type = part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (type != "text" || !part.TryGetProperty("text", out var partText) || partText.ValueKind != JsonValueKind.String)
            {
                problem = MappedRecord.Invalid(RejectReason.WrongType,
                    $"{partPath} is {(type is null ? "not a {type, text} part" : $"a '{type}' part")}; only text parts can be trained here (images and audio cannot).");
                return null;
            }
            text.Append(partText.GetString());
        }
        return text.ToString();
    }
}
