using System.Text.Json;
using Tuneforge.Data.Records;
using Tuneforge.Text;

namespace Tuneforge.Data.Reading;

internal sealed partial class RecordMapper
{
    // TRL's preference shape: a prompt (a string, a list of messages, or messages holding the turns before the answer)
    // with a chosen and a rejected answer (strings, or one assistant message each). The chosen one ends the messages.
    List<ChatMessage>? ReadPair(JsonElement root, JsonElement chosenElement, out string? rejected, out MappedRecord? problem)
    {
        rejected = null;
        if (!Present(root, columns.Rejected, out var rejectedElement))
        {
            problem = MappedRecord.Invalid(RejectReason.MissingField,
                $"'{columns.Chosen}' has no '{columns.Rejected}' beside it: a preference pair names the better and the worse answer{FieldsHint(root)}.");
            return null;
        }
        var prompt = ReadPairPrompt(root, out problem);
        if (problem is not null) return null;
        var chosen = ReadAnswer(chosenElement, columns.Chosen, out problem);
        if (problem is not null) return null;
        rejected = ReadAnswer(rejectedElement, columns.Rejected, out problem)?.Content;
        if (problem is not null) return null;
        List<ChatMessage> all = [.. prompt!, chosen!];
        problem = CheckTurns(all, $"{PromptName(root)}+{columns.Chosen}");
        return problem is null ? all : null;
    }

    string PromptName(JsonElement root) => Present(root, columns.Prompt, out _) ? columns.Prompt : columns.Messages;

    List<ChatMessage>? ReadPairPrompt(JsonElement root, out MappedRecord? problem)
    {
        problem = null;
        List<ChatMessage>? prompt;
        if (Present(root, columns.Prompt, out var promptElement) && promptElement.ValueKind == JsonValueKind.String)
        {
            var system = ReadSystem(root, ref problem);
            if (problem is not null) return null;
            prompt = string.IsNullOrEmpty(system) ? [] : [ChatMessage.System(system)];
            prompt.Add(ChatMessage.User(promptElement.GetString()!));
            return prompt;
        }
        var name = PromptName(root);
        if (!Present(root, name, out var element))
        {
            problem = MappedRecord.Invalid(RejectReason.MissingField,
                $"a preference pair needs its prompt: '{columns.Prompt}' (a string or messages) or '{columns.Messages}' (the turns before the answer){FieldsHint(root)}.");
            return null;
        }
        if (element.ValueKind != JsonValueKind.Array)
        {
            problem = MappedRecord.Invalid(RejectReason.WrongType, $"'{name}' must be a string or a list of messages, found {Kind(element)}.");
            return null;
        }
        prompt = ReadMessages(element, name, out problem);
        if (problem is not null) return null;
        if (prompt!.Count == 0 || prompt[^1].Role != ChatRoles.User)
        {
            problem = MappedRecord.Invalid(RejectReason.BadTurnOrder,
                $"the prompt of a preference pair ('{name}') must end with the user's turn; the answers go in '{columns.Chosen}' and '{columns.Rejected}'.");
            return null;
        }
        return prompt;
    }

    // An answer: a string, or a list holding one assistant message (TRL's conversational form).
    static ChatMessage? ReadAnswer(JsonElement element, string name, out MappedRecord? problem)
    {
        problem = null;
        if (element.ValueKind == JsonValueKind.String) return ChatMessage.Assistant(element.GetString()!);
        if (element.ValueKind != JsonValueKind.Array)
        {
            problem = MappedRecord.Invalid(RejectReason.WrongType, $"'{name}' must be a string or a list with one assistant message, found {Kind(element)}.");
            return null;
        }
        var messages = ReadMessages(element, name, out problem);
        if (problem is not null) return null;
        if (messages!.Count != 1 || messages[0].Role != ChatRoles.Assistant)
        {
            problem = MappedRecord.Invalid(RejectReason.BadTurnOrder, $"'{name}' must hold exactly one assistant message, found {messages.Count} message(s).");
            return null;
        }
        return messages[0];
    }

    // A rejected answer beside any answer-ending shape (Serve's feedback: the model's answer a person corrected).
    string? ReadRejectedBeside(JsonElement root, out MappedRecord? problem)
    {
        problem = null;
        if (!Present(root, columns.Rejected, out var element)) return null;
        return ReadAnswer(element, columns.Rejected, out problem)?.Content;
    }

    bool? ReadLabel(JsonElement root, out MappedRecord? problem)
    {
        problem = null;
        if (!Present(root, columns.Label, out var element)) return null;
        if (element.ValueKind is JsonValueKind.True or JsonValueKind.False) return element.GetBoolean();
        problem = MappedRecord.Invalid(RejectReason.WrongType,
            $"'{columns.Label}' must be true (a desirable answer) or false (an undesirable one), found {Kind(element)}{(element.ValueKind == JsonValueKind.String ? $" \"{element.GetString()}\"" : "")}.");
        return null;
    }
}
