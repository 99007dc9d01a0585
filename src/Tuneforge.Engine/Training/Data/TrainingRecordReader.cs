using Tuneforge.Data.Training;
using System.Text.Json;
using Tuneforge.Engine.Runtime;
using Tuneforge.Text;

namespace Tuneforge.Engine.Training.Data;

/// <summary>Reads the canonical JSON-lines records the Split stage writes (<c>{"id", "messages": [{"role", "content"}], ...}</c>).</summary>
public static class TrainingRecordReader
{
    public static IReadOnlyList<TrainingRecord> Read(string path)
    {
        if (!File.Exists(path)) throw new EngineException($"{path}: not found", "Run the Split stage first (./build.sh Split), or give the path of a JSONL split file.");
        var records = new List<TrainingRecord>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var where = $"{path}:{number}";
            try
            {
                using var document = JsonDocument.Parse(line);
                records.Add(Parse(document.RootElement, where));
            }
            catch (JsonException e)
            {
                throw new EngineException($"{where}:{e.BytePositionInLine + 1}: invalid JSON: {e.Message.Split(" LineNumber:")[0]}",
                    "The split files are written by the Split stage; run ./build.sh Split again.");
            }
        }
        return records;
    }

    private static TrainingRecord Parse(JsonElement root, string where)
    {
        EngineException Bad(string problem) => new($"{where}: {problem}", "Each line is a record {\"id\": ..., \"messages\": [{\"role\": ..., \"content\": ...}]}.");
        if (root.ValueKind != JsonValueKind.Object) throw Bad("expected a JSON object");
        var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : where;
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
            throw Bad("no \"messages\" array");
        var list = new List<ChatMessage>();
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object
                || !message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String
                || !message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
                throw Bad($"messages[{index}] needs string \"role\" and \"content\"");
            var reasoning = message.TryGetProperty("reasoning", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            list.Add(new ChatMessage(role.GetString()!, content.GetString()!, reasoning));
            index++;
        }
        if (list.Count == 0) throw Bad("\"messages\" is empty");
        return new TrainingRecord(id, list, where)
        {
            Rejected = root.TryGetProperty("rejected", out var rejected) && rejected.ValueKind == JsonValueKind.String ? rejected.GetString() : null,
            Label = root.TryGetProperty("label", out var label) && label.ValueKind is JsonValueKind.True or JsonValueKind.False ? label.GetBoolean() : null,
        };
    }
}
