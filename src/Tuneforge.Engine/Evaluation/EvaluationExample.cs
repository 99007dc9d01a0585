using System.Text.Json;
using Tuneforge.Engine.Runtime;
using Tuneforge.Text;

namespace Tuneforge.Engine.Evaluation;

/// <summary>A test record: the conversation up to the last answer (the prompt), that answer (the reference), its category
/// and its source (the data file it came from, for metrics per source).</summary>
public sealed record EvaluationExample(string Id, string Category, IReadOnlyList<ChatMessage> Prompt, string Reference, string Location, string? Source = null)
{
    /// <summary>Reads the Split stage's canonical JSONL: <c>{id, category, messages:[{role, content}], ...}</c>.</summary>
    public static IReadOnlyList<EvaluationExample> ReadFile(string path, int? maxSamples)
    {
        var examples = new List<EvaluationExample>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (maxSamples is { } max && examples.Count >= max) break;
            examples.Add(Parse(line, $"{path}:{lineNumber}"));
        }
        return examples;
    }

    static EvaluationExample Parse(string line, string location)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var id = root.GetProperty("id").GetString() ?? throw new JsonException("id is null");
            var category = root.TryGetProperty("category", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "uncategorized";
            var messages = root.GetProperty("messages").EnumerateArray()
                .Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!))
                .ToList();
            if (messages.Count < 2 || messages[^1].Role != ChatRoles.Assistant)
                throw new JsonException("the last message must be the assistant's answer, after at least one user message");
            var source = root.TryGetProperty("dataset", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()
                : root.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.Object && s.TryGetProperty("file", out var f) ? f.GetString() : null;
            return new EvaluationExample(id, category, messages[..^1], messages[^1].Content, location, source);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new EngineException($"{location}: not a test record: {e.Message}", "The Split stage writes test.jsonl; run Clean and Split again.");
        }
    }
}
