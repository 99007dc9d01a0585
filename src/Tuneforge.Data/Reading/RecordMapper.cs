using System.Globalization;
using System.Text.Json;
using Tuneforge.Data.Records;
using Tuneforge.Text;

namespace Tuneforge.Data.Reading;

/// <summary>The outcome of reading one record: a canonical record, or why the record cannot be used.</summary>
internal readonly record struct MappedRecord(CanonicalRecord? Record, string? Reason, string? Detail)
{
    public static MappedRecord Invalid(string reason, string detail) => new(null, reason, detail);
}

/// <summary>Turns one parsed JSON record, alpaca or chat shaped, into a <see cref="CanonicalRecord"/>.</summary>
internal sealed class RecordMapper(ColumnMap columns, string defaultCategory)
{
    public MappedRecord Map(JsonElement root, RawRecord raw)
    {
        if (root.ValueKind != JsonValueKind.Object)
            return MappedRecord.Invalid(RejectReason.NotAnObject, $"a record must be a JSON object, found {Kind(root)}.");

        var hasMessages = Present(root, columns.Messages, out var messagesElement);
        var hasInstruction = Present(root, columns.Instruction, out var instructionElement);
        if (hasMessages && hasInstruction)
            return MappedRecord.Invalid(RejectReason.AmbiguousShape,
                $"the record has both '{columns.Messages}' (chat) and '{columns.Instruction}' (alpaca); keep one shape per record.");

        var id = ReadId(root, raw, out var problem);
        if (problem is not null) return problem.Value;
        var category = ReadCategory(root, out problem);
        if (problem is not null) return problem.Value;

        List<ChatMessage> messages;
        if (hasMessages)
        {
            var chat = ReadChat(messagesElement, out problem);
            if (problem is not null) return problem.Value;
            messages = chat!;
        }
        else if (hasInstruction)
        {
            var alpaca = ReadAlpaca(root, instructionElement, out problem);
            if (problem is not null) return problem.Value;
            messages = alpaca!;
        }
        else
        {
            return MappedRecord.Invalid(RejectReason.MissingField, $"no '{columns.Instruction}' or '{columns.Messages}' field{FieldsHint(root)}.");
        }

        return new MappedRecord(new CanonicalRecord(id!, messages, category, raw.Location) { Metadata = ReadMetadata(root) }, null, null);
    }

    List<ChatMessage>? ReadAlpaca(JsonElement root, JsonElement instructionElement, out MappedRecord? problem)
    {
        problem = null;
        if (!Text(instructionElement, columns.Instruction, out var instruction, ref problem)) return null;
        string? input = null;
        foreach (var name in columns.Input)
            if (Present(root, name, out var element))
            {
                if (!Text(element, name, out input, ref problem)) return null;
                break;
            }
        string? response = null;
        var responseFound = false;
        foreach (var name in columns.Response)
            if (Present(root, name, out var element))
            {
                if (!Text(element, name, out response, ref problem)) return null;
                responseFound = true;
                break;
            }
        if (!responseFound)
        {
            problem = MappedRecord.Invalid(RejectReason.MissingField,
                $"no answer: none of the fields {string.Join(", ", columns.Response.Select(n => $"'{n}'"))} is present{FieldsHint(root)}.");
            return null;
        }
        string? system = null;
        if (Present(root, columns.System, out var systemElement) && !Text(systemElement, columns.System, out system, ref problem)) return null;

        var messages = new List<ChatMessage>(3);
        if (!string.IsNullOrEmpty(system)) messages.Add(ChatMessage.System(system));
        messages.Add(ChatMessage.User(string.IsNullOrEmpty(input) ? instruction! : $"{instruction}\n\n{input}"));
        messages.Add(ChatMessage.Assistant(response!));
        return messages;
    }

    List<ChatMessage>? ReadChat(JsonElement element, out MappedRecord? problem)
    {
        problem = null;
        var name = columns.Messages;
        if (element.ValueKind != JsonValueKind.Array)
        {
            problem = MappedRecord.Invalid(RejectReason.WrongType, $"'{name}' must be an array of {{role, content}} objects, found {Kind(element)}.");
            return null;
        }
        var messages = new List<ChatMessage>(element.GetArrayLength());
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var path = $"{name}[{index}]";
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
            if (!Text(contentElement, $"{path}.content", out var content, ref problem)) return null;
            messages.Add(new ChatMessage(role!, content!));
            index++;
        }
        problem = CheckTurns(messages, name);
        return problem is null ? messages : null;
    }

    static MappedRecord? CheckTurns(List<ChatMessage> messages, string name)
    {
        if (messages.Count == 0) return MappedRecord.Invalid(RejectReason.EmptyMessages, $"'{name}' is empty.");
        for (var i = 1; i < messages.Count; i++)
            if (messages[i].Role == ChatRoles.System)
                return MappedRecord.Invalid(RejectReason.BadTurnOrder, $"{name}[{i}] is a system message; a system message may only come first.");
        if (!messages.Any(m => m.Role == ChatRoles.User))
            return MappedRecord.Invalid(RejectReason.BadTurnOrder, $"'{name}' has no user message.");
        if (messages[^1].Role != ChatRoles.Assistant)
            return MappedRecord.Invalid(RejectReason.BadTurnOrder, $"the last message must be the assistant's answer, but {name}[{messages.Count - 1}] is '{messages[^1].Role}'.");
        return null;
    }

    string? ReadId(JsonElement root, RawRecord raw, out MappedRecord? problem)
    {
        problem = null;
        if (!Present(root, columns.Id, out var element)) return raw.DefaultId;
        switch (element.ValueKind)
        {
            case JsonValueKind.String when element.GetString() is { Length: > 0 } text:
                return text;
            case JsonValueKind.String:
                return raw.DefaultId;
            case JsonValueKind.Number when element.TryGetInt64(out var number):
                return number.ToString(CultureInfo.InvariantCulture);
            default:
                problem = MappedRecord.Invalid(RejectReason.WrongType, $"'{columns.Id}' must be a string or an integer, found {Kind(element)}.");
                return null;
        }
    }

    string ReadCategory(JsonElement root, out MappedRecord? problem)
    {
        problem = null;
        if (!Present(root, columns.Category, out var element)) return defaultCategory;
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                var text = element.GetString()!.Trim();
                return text.Length > 0 ? text : defaultCategory;
            case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                return element.GetRawText();
            default:
                problem = MappedRecord.Invalid(RejectReason.WrongType, $"'{columns.Category}' must be a string, found {Kind(element)}.");
                return defaultCategory;
        }
    }

    IReadOnlyDictionary<string, string> ReadMetadata(JsonElement root)
    {
        Dictionary<string, string>? metadata = null;
        foreach (var property in root.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null || IsConsumed(property)) continue;
            metadata ??= new Dictionary<string, string>(StringComparer.Ordinal);
            metadata[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
        }
        return metadata ?? CanonicalRecord.EmptyMetadata;
    }

    bool IsConsumed(JsonProperty property)
    {
        foreach (var name in columns.ConsumedUtf8)
            if (property.NameEquals(name)) return true;
        return false;
    }

    // A field counts as present when it exists and is not null.
    static bool Present(JsonElement root, string name, out JsonElement value) =>
        root.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    static bool Text(JsonElement element, string name, out string? text, ref MappedRecord? problem)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            text = element.GetString();
            return true;
        }
        text = null;
        problem = MappedRecord.Invalid(RejectReason.WrongType, $"'{name}' must be a string, found {Kind(element)}.");
        return false;
    }

    string FieldsHint(JsonElement root)
    {
        var names = root.EnumerateObject().Select(p => p.Name).ToList();
        if (names.Count == 0) return " (the record is empty)";
        return $" (the record has: {string.Join(", ", names.Take(8))}{(names.Count > 8 ? ", ..." : "")}); map your field names with data.columns, e.g. columns: {{instruction: question, response: answer}}";
    }

    static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
