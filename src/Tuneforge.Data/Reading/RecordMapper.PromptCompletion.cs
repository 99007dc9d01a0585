using System.Text.Json;
using Tuneforge.Data.Records;
using Tuneforge.Text;

namespace Tuneforge.Data.Reading;

internal sealed partial class RecordMapper
{
    // prompt/completion: two strings (OpenAI's legacy fine-tuning files), or two lists of messages (TRL's conversational form).
    List<ChatMessage>? ReadPromptCompletion(JsonElement root, JsonElement promptElement, out MappedRecord? problem)
    {
        problem = null;
        if (!Present(root, columns.Completion, out var completionElement))
        {
            problem = MappedRecord.Invalid(RejectReason.MissingField, $"'{columns.Prompt}' has no '{columns.Completion}' beside it{FieldsHint(root)}.");
            return null;
        }
        if (promptElement.ValueKind == JsonValueKind.String)
        {
            if (!Text(completionElement, columns.Completion, out var completion, ref problem)) return null;
            var system = ReadSystem(root, ref problem);
            if (problem is not null) return null;
            var messages = new List<ChatMessage>(3);
            if (!string.IsNullOrEmpty(system)) messages.Add(ChatMessage.System(system));
            messages.Add(ChatMessage.User(promptElement.GetString()!));
            messages.Add(ChatMessage.Assistant(completion!));
            return messages;
        }
        if (promptElement.ValueKind != JsonValueKind.Array || completionElement.ValueKind != JsonValueKind.Array)
        {
            problem = MappedRecord.Invalid(RejectReason.WrongType,
                $"'{columns.Prompt}' and '{columns.Completion}' must both be strings or both lists of messages, found {Kind(promptElement)} and {Kind(completionElement)}.");
            return null;
        }
        var prompt = ReadMessages(promptElement, columns.Prompt, out problem);
        if (problem is not null) return null;
        var answer = ReadMessages(completionElement, columns.Completion, out problem);
        if (problem is not null) return null;
        if (answer!.Count == 0 || answer.Any(m => m.Role != ChatRoles.Assistant))
        {
            problem = MappedRecord.Invalid(RejectReason.BadTurnOrder, $"'{columns.Completion}' must hold the assistant's answer (assistant messages only).");
            return null;
        }
        List<ChatMessage> all = [.. prompt!, .. answer];
        problem = CheckTurns(all, $"{columns.Prompt}+{columns.Completion}");
        return problem is null ? all : null;
    }

    static List<ChatMessage>? ReadMessages(JsonElement element, string name, out MappedRecord? problem)
    {
        problem = null;
        var messages = new List<ChatMessage>(element.GetArrayLength());
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var message = ReadMessage(item, $"{name}[{index++}]", out problem);
            if (problem is not null) return null;
            messages.Add(message!);
        }
        return messages;
    }
}
