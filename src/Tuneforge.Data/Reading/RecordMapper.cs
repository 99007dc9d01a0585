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

/// <summary>Turns one parsed JSON record into a <see cref="CanonicalRecord"/>, whatever its shape: OpenAI chat
/// (<c>messages</c>), ShareGPT (<c>conversations</c>), alpaca (<c>instruction</c>) or <c>prompt</c>/<c>completion</c>; and the
/// preference shapes: <c>prompt</c>|<c>messages</c> + <c>chosen</c>/<c>rejected</c>, any of them + <c>label</c> (KTO).</summary>
internal sealed partial class RecordMapper(ColumnMap columns, string defaultCategory)
{
    public ColumnMap Columns => columns;

    public MappedRecord Map(JsonElement root, RawRecord raw)
    {
        if (root.ValueKind != JsonValueKind.Object)
            return MappedRecord.Invalid(RejectReason.NotAnObject, $"a record must be a JSON object, found {Kind(root)}.");

        var hasMessages = Present(root, columns.Messages, out var messagesElement);
        var hasConversations = Present(root, columns.Conversations, out var conversationsElement);
        var hasInstruction = Present(root, columns.Instruction, out var instructionElement);
        if (hasMessages && hasConversations)
            return MappedRecord.Invalid(RejectReason.AmbiguousShape,
                $"the record has both '{columns.Messages}' (OpenAI chat) and '{columns.Conversations}' (ShareGPT); keep one shape per record.");
        if ((hasMessages || hasConversations) && hasInstruction)
            return MappedRecord.Invalid(RejectReason.AmbiguousShape,
                $"the record has both '{(hasMessages ? columns.Messages : columns.Conversations)}' (chat) and '{columns.Instruction}' (alpaca); keep one shape per record.");

        var id = ReadId(root, raw, out var problem);
        if (problem is not null) return problem.Value;
        var category = ReadCategory(root, out problem);
        if (problem is not null) return problem.Value;

        List<ChatMessage>? messages;
        string? rejected = null;
        if (Present(root, columns.Chosen, out var chosenElement)) messages = ReadPair(root, chosenElement, out rejected, out problem);
        else if (hasMessages) messages = ReadChat(messagesElement, columns.Messages, out problem);
        else if (hasConversations) messages = ReadShareGpt(root, conversationsElement, out problem);
        else if (hasInstruction) messages = ReadAlpaca(root, instructionElement, out problem);
        else if (Present(root, columns.Prompt, out var promptElement)) messages = ReadPromptCompletion(root, promptElement, out problem);
        else
            return MappedRecord.Invalid(RejectReason.MissingField,
                $"no '{columns.Instruction}', '{columns.Messages}', '{columns.Conversations}' or '{columns.Prompt}' field{FieldsHint(root)}.");
        if (problem is not null) return problem.Value;
        rejected ??= ReadRejectedBeside(root, out problem);
        if (problem is not null) return problem.Value;
        var label = ReadLabel(root, out problem);
        if (problem is not null) return problem.Value;
        if (rejected is not null && label is not null)
            return MappedRecord.Invalid(RejectReason.AmbiguousShape,
                $"the record has both '{columns.Rejected}' (a preference pair) and '{columns.Label}' (an unpaired, KTO preference); keep one per record.");

        return new MappedRecord(new CanonicalRecord(id!, messages!, category, raw.Location) { Metadata = ReadMetadata(root), Rejected = rejected, Label = label }, null, null);
    }

    // The rules every conversation meets, whatever shape it was read from.
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

    static MappedRecord ToolTurn(string path, string what) => MappedRecord.Invalid(RejectReason.ToolCalls,
        $"{path} is {what}: the chat templates here (deepseek-r1, chatml, llama3) have no tool-call format, so the record cannot be trained as it is. " +
        "Remove its tool turns (or the record), or keep tool-use data out of this pipeline.");

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

    string? ReadSystem(JsonElement root, ref MappedRecord? problem)
    {
        string? system = null;
        if (Present(root, columns.System, out var element) && !Text(element, columns.System, out system, ref problem)) return null;
        return system;
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
