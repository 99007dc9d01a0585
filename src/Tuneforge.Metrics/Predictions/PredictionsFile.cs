using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tuneforge.Files;

namespace Tuneforge.Metrics.Predictions;

/// <summary>Reads and writes <c>predictions.jsonl</c>: one JSON object per line (see <see cref="PredictionRecord"/>).</summary>
public static class PredictionsFile
{
    private static readonly string[] RequiredFields = ["id", "prompt", "reference", "prediction"];

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Reads every record; throws <see cref="PredictionsFormatException"/> naming file:line on the first bad line.</summary>
    public static IReadOnlyList<PredictionRecord> Read(string path)
    {
        if (!File.Exists(path))
            throw new PredictionsFormatException(path, 0, "file not found: write it with the engine's generate step, or pass the right --predictions path");
        var records = new List<PredictionRecord>();
        var firstLineOfId = new Dictionary<string, int>(StringComparer.Ordinal);
        int? firstLineWithBase = null, firstLineWithoutBase = null;
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var record = ParseLine(path, lineNumber, line);
            if (firstLineOfId.TryGetValue(record.Id, out var firstLine))
                throw new PredictionsFormatException(path, lineNumber, $"duplicate id \"{record.Id}\" (first seen on line {firstLine}): ids must be unique");
            firstLineOfId[record.Id] = lineNumber;
            if (record.BasePrediction is null) firstLineWithoutBase ??= lineNumber; else firstLineWithBase ??= lineNumber;
            if (firstLineWithBase is { } withBase && firstLineWithoutBase is { } withoutBase)
                throw new PredictionsFormatException(path, Math.Max(withBase, withoutBase),
                    $"base_prediction is {(withBase > withoutBase ? "present" : "missing")} here but " +
                    $"{(withBase > withoutBase ? "missing" : "present")} on line {Math.Min(withBase, withoutBase)}: either every line has a base prediction or none does");
            records.Add(record);
        }
        if (records.Count == 0)
            throw new PredictionsFormatException(path, 0, "no predictions: the file is empty (one JSON object per line expected)");
        return records;
    }

    /// <summary>Writes records as JSON lines, atomically (a temporary file renamed over the target).</summary>
    public static void Write(string path, IEnumerable<PredictionRecord> records) =>
        AtomicFile.WriteAllLines(path, records.Select(record => JsonSerializer.Serialize(record, WriteOptions)));

    private static PredictionRecord ParseLine(string path, int lineNumber, string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            int column = CharacterColumn(line, e.BytePositionInLine ?? 0);
            throw new PredictionsFormatException(path, lineNumber, $"invalid JSON ({FirstSentence(e.Message)}): each line must be one JSON object", column);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new PredictionsFormatException(path, lineNumber, $"expected a JSON object, found {Describe(root.ValueKind)}");
            foreach (var field in RequiredFields)
                if (!root.TryGetProperty(field, out _))
                    throw new PredictionsFormatException(path, lineNumber,
                        $"missing required field \"{field}\" (each line needs {string.Join(", ", RequiredFields)}; category, base_prediction and the token counts prompt_tokens, completion_tokens, base_completion_tokens are optional)");

            var fields = new FieldReader(path, lineNumber, root);
            return new PredictionRecord(
                Id: fields.Id(),
                Category: fields.OptionalString("category") is { Length: > 0 } category ? category : PredictionRecord.Uncategorized,
                Prompt: fields.String("prompt"),
                Reference: fields.String("reference"),
                Prediction: fields.String("prediction"),
                BasePrediction: fields.OptionalString("base_prediction"),
                PromptTokens: fields.OptionalCount("prompt_tokens"),
                CompletionTokens: fields.OptionalCount("completion_tokens"),
                BaseCompletionTokens: fields.OptionalCount("base_completion_tokens"),
                Source: fields.OptionalString("source"),
                Reasoning: fields.OptionalString("reasoning"),
                BaseReasoning: fields.OptionalString("base_reasoning"));
        }
    }

    private static int CharacterColumn(string line, long bytePosition)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        int length = (int)Math.Clamp(bytePosition, 0, bytes.Length);
        return Encoding.UTF8.GetCharCount(bytes, 0, length) + 1;
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return (end >= 0 ? message[..end] : message).TrimEnd('.');
    }

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    private readonly struct FieldReader(string path, int line, JsonElement root)
    {
        public string Id()
        {
            var value = root.GetProperty("id");
            return value.ValueKind switch
            {
                JsonValueKind.String when value.GetString() is { Length: > 0 } id => id,
                JsonValueKind.Number => value.GetRawText(),
                _ => throw Error($"field \"id\" must be a non-empty string or a number, found {Render(value)}"),
            };
        }

        public string String(string name)
        {
            var value = root.GetProperty(name);
            if (value.ValueKind != JsonValueKind.String)
                throw Error($"field \"{name}\" must be a string, found {Render(value)}");
            return value.GetString()!;
        }

        public string? OptionalString(string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? String(name) : null;

        public int Count(string name)
        {
            var value = root.GetProperty(name);
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var count) || count < 0)
                throw Error($"field \"{name}\" must be a non-negative integer, found {Render(value)}");
            return count;
        }

        public int? OptionalCount(string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? Count(name) : null;

        private PredictionsFormatException Error(string problem) => new(path, line, problem);

        private static string Render(JsonElement value)
        {
            var text = value.GetRawText();
            return text.Length <= 40 ? text : text[..37] + "...";
        }
    }
}
