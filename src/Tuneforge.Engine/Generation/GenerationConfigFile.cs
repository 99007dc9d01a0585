using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Engine.Runtime;

namespace Tuneforge.Engine.Generation;

/// <summary>A model's generation_config.json: the sampling defaults its authors recommend, applied before user options.</summary>
public static class GenerationConfigFile
{
    public const string FileName = "generation_config.json";

    /// <summary><paramref name="defaults"/> updated with the file's settings; unchanged when the folder has none.</summary>
    public static GenerationOptions Apply(string? directory, GenerationOptions defaults)
    {
        var path = directory is null ? null : Path.Combine(directory, FileName);
        if (path is null || !File.Exists(path)) return defaults;
        JsonObject json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new EngineException($"{path}: expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new EngineException($"{path}: invalid JSON at line {e.LineNumber + 1}: {e.Message}");
        }
        try
        {
            var eos = json["eos_token_id"] switch
            {
                JsonArray array => array.Select(n => n!.GetValue<int>()).ToArray(),
                JsonValue value => [value.GetValue<int>()],
                _ => null,
            };
            return defaults with
            {
                DoSample = json["do_sample"]?.GetValue<bool>() ?? defaults.DoSample,
                Temperature = json["temperature"]?.GetValue<double>() ?? defaults.Temperature,
                TopP = json["top_p"]?.GetValue<double>() ?? defaults.TopP,
                TopK = json["top_k"]?.GetValue<int>() ?? defaults.TopK,
                RepetitionPenalty = json["repetition_penalty"]?.GetValue<double>() ?? defaults.RepetitionPenalty,
                EosTokenIds = eos is null ? defaults.EosTokenIds : defaults.EosTokenIds.Union(eos).ToArray(),
            };
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new EngineException($"{path}: a setting has the wrong type: {e.Message}");
        }
    }
}
