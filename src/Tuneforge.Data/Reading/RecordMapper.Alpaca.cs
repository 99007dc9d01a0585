using System.Text.Json;
using Tuneforge.Data.Records;
using Tuneforge.Text;

namespace Tuneforge.Data.Reading;

internal sealed partial class RecordMapper
{
    // alpaca: instruction, input|context (optional), output|response, system (optional).
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
        var system = ReadSystem(root, ref problem);
        if (problem is not null) return null;

        var messages = new List<ChatMessage>(3);
        if (!string.IsNullOrEmpty(system)) messages.Add(ChatMessage.System(system));
        messages.Add(ChatMessage.User(string.IsNullOrEmpty(input) ? instruction! : $"{instruction}\n\n{input}"));
        messages.Add(ChatMessage.Assistant(response!));
        return messages;
    }
}
