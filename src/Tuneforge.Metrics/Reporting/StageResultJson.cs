using System.Text.Json;

namespace Tuneforge.Metrics.Reporting;

/// <summary>Reads and writes a stage's result file (judge.json, preference_metrics.json) as metrics.json is written.</summary>
public static class StageResultJson
{
    public static void Write<T>(string path, T result) =>
        Files.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(result, MetricsReportJson.Options) + "\n");

    /// <exception cref="InvalidDataException">The file is not <paramref name="stage"/>'s result; the message names it and the line.</exception>
    public static T Read<T>(string path, string stage)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), MetricsReportJson.Options)
                   ?? throw new InvalidDataException($"{path}: empty; run {stage} again");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{(e.LineNumber ?? 0) + 1}: not {stage}'s result ({e.Message}); run {stage} again", e);
        }
    }
}
