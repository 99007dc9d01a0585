using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Text;

namespace Tuneforge.Engine.Cli.Verbs;

/// <summary>One prompt: plain text, or a conversation to render with a chat template.</summary>
public sealed record PromptRecord(string Id, string? Text, IReadOnlyList<ChatMessage>? Messages);

/// <summary>Reads a JSONL file of <c>{"prompt": "..."}</c> or <c>{"messages": [{"role","content"}]}</c> lines (optional <c>"id"</c>).</summary>
public static class PromptFile
{
    public static IReadOnlyList<PromptRecord> Read(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"generate: {path}: file not found");
        var records = new List<PromptRecord>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var where = $"{path}:{lineNumber}";
            JsonObject item;
            try
            {
                item = JsonNode.Parse(line) as JsonObject ?? throw new UsageException($"{where}: expected a JSON object");
            }
            catch (JsonException e)
            {
                throw new UsageException($"{where}:{e.BytePositionInLine + 1}: invalid JSON: {e.Message}");
            }
            var id = item["id"]?.ToString() ?? (records.Count).ToString();
            if (item["prompt"] is JsonValue prompt && prompt.GetValueKind() == JsonValueKind.String)
            {
                records.Add(new PromptRecord(id, prompt.GetValue<string>(), null));
            }
            else if (item["messages"] is JsonArray messages)
            {
                records.Add(new PromptRecord(id, null, messages.Select((m, i) => Message(m, $"{where}: messages[{i}]")).ToList()));
            }
            else
            {
                throw new UsageException($"{where}: expected a \"prompt\" string or a \"messages\" array");
            }
        }
        if (records.Count == 0) throw new UsageException($"generate: {path} holds no prompts");
        return records;
    }

    private static ChatMessage Message(JsonNode? node, string where)
    {
        var role = node?["role"] is JsonValue r && r.GetValueKind() == JsonValueKind.String ? r.GetValue<string>() : null;
        var content = node?["content"] is JsonValue c && c.GetValueKind() == JsonValueKind.String ? c.GetValue<string>() : null;
        if (role is null || content is null) throw new UsageException($"{where}: needs string \"role\" and \"content\"");
        if (!ChatRoles.All.Contains(role)) throw new UsageException($"{where}: role '{role}' is not one of {string.Join(", ", ChatRoles.All)}");
        return new ChatMessage(role, content);
    }
}
