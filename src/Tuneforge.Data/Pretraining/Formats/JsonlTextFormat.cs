using System.Text.Json;

namespace Tuneforge.Data.Pretraining.Formats;

/// <summary>JSON lines with a string "text" field: a document per line (blank lines skipped).</summary>
public static class JsonlTextFormat
{
    public static IEnumerable<string> Documents(string content, string path)
    {
        var lines = content.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            string? text;
            try
            {
                using var document = JsonDocument.Parse(lines[i]);
                text = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("text", out var value)
                       && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            }
            catch (JsonException e)
            {
                throw new DataException($"{path}:{i + 1}: not valid JSON ({e.Message}). Each line must be one JSON object with a \"text\" string.");
            }
            yield return text ?? throw new DataException($"{path}:{i + 1}: the record has no \"text\" string. Each line must be one JSON object with a \"text\" string.");
        }
    }
}
