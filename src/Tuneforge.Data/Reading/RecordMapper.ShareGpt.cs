using System.Text.Json;
using Tuneforge.Data.Records;
using Tuneforge.Text;

namespace Tuneforge.Data.Reading;

internal sealed partial class RecordMapper
{
    // ShareGPT's roles (LLaMA-Factory's tags), with user/assistant as many exports write them.
    static readonly Dictionary<string, string> ShareGptRoles = new(StringComparer.Ordinal)
    {
        ["human"] = ChatRoles.User,
        ["user"] = ChatRoles.User,
        ["gpt"] = ChatRoles.Assistant,
        ["assistant"] = ChatRoles.Assistant,
        ["system"] = ChatRoles.System,
    };

    static readonly string[] ShareGptToolRoles = ["function_call", "observation", "tool"];

    // ShareGPT: [{from, value}], with an optional system field beside the conversations.
    List<ChatMessage>? ReadShareGpt(JsonElement root, JsonElement element, out MappedRecord? problem)
    {
        problem = null;
        var name = columns.Conversations;
        if (element.ValueKind != JsonValueKind.Array)
        {
            problem = MappedRecord.Invalid(RejectReason.WrongType, $"'{name}' must be an array of {{from, value}} objects, found {Kind(element)}.");
            return null;
        }
        var system = ReadSystem(root, ref problem);
        if (problem is not null) return null;
        var messages = new List<ChatMessage>(element.GetArrayLength() + 1);
        if (!string.IsNullOrEmpty(system)) messages.Add(ChatMessage.System(system));
        var index = 0;
        foreach (var turn in element.EnumerateArray())
        {
            var path = $"{name}[{index++}]";
            if (turn.ValueKind != JsonValueKind.Object)
            {
                problem = MappedRecord.Invalid(RejectReason.WrongType, $"{path} must be an object with from and value, found {Kind(turn)}.");
                return null;
            }
            if (!Present(turn, "from", out var fromElement))
            {
                problem = MappedRecord.Invalid(RejectReason.MissingField, $"{path} has no 'from'.");
                return null;
            }
            if (!Text(fromElement, $"{path}.from", out var from, ref problem)) return null;
            if (ShareGptToolRoles.Contains(from))
            {
                problem = ToolTurn(path, $"a '{from}' turn");
                return null;
            }
            if (!ShareGptRoles.TryGetValue(from!, out var role))
            {
                problem = MappedRecord.Invalid(RejectReason.UnknownRole, $"{path}.from is '{from}'; ShareGPT roles are human, gpt and system.");
                return null;
            }
            if (role == ChatRoles.System && !string.IsNullOrEmpty(system))
            {
                problem = MappedRecord.Invalid(RejectReason.AmbiguousShape, $"the record has a '{columns.System}' field and {path} is a system turn too; keep one.");
                return null;
            }
            if (!Present(turn, "value", out var valueElement))
            {
                problem = MappedRecord.Invalid(RejectReason.MissingField, $"{path} has no 'value'.");
                return null;
            }
            if (!Text(valueElement, $"{path}.value", out var value, ref problem)) return null;
            messages.Add(new ChatMessage(role, value!));
        }
        problem = CheckTurns(messages, name);
        return problem is null ? messages : null;
    }
}
