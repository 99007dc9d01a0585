using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Runtime;

namespace Tuneforge.Engine.Generation;

/// <summary>A model's generation_config.json: the sampling defaults its authors recommend, applied before user options, and its EOS ids.</summary>
public static class GenerationConfigFile
{
    public const string FileName = "generation_config.json";

    /// <summary>A model's recommended sampling: its preset's, then its folder's generation_config.json over them.</summary>
    public static GenerationOptions Defaults(ModelLocation location)
    {
        var defaults = new GenerationOptions();
        if (location.Preset is { } preset)
            defaults = defaults with { DoSample = preset.Generation.DoSample, Temperature = preset.Generation.Temperature, TopP = preset.Generation.TopP };
        return Apply(location.Directory, defaults);
    }

    /// <summary><paramref name="defaults"/> updated with the file's sampling settings; unchanged when the folder has none.</summary>
    public static GenerationOptions Apply(string? directory, GenerationOptions defaults)
    {
        if (Read(directory) is not var (path, json)) return defaults;
        return Typed(path, () => defaults with
        {
            DoSample = json["do_sample"]?.GetValue<bool>() ?? defaults.DoSample,
            Temperature = json["temperature"]?.GetValue<double>() ?? defaults.Temperature,
            TopP = json["top_p"]?.GetValue<double>() ?? defaults.TopP,
            TopK = json["top_k"]?.GetValue<int>() ?? defaults.TopK,
            RepetitionPenalty = json["repetition_penalty"]?.GetValue<double>() ?? defaults.RepetitionPenalty,
        });
    }

    /// <summary>The file's eos_token_id (an int or a list); empty when the folder has no file or the file no key.</summary>
    public static IReadOnlyList<int> EosTokenIds(string? directory)
    {
        if (Read(directory) is not var (path, json)) return [];
        return Typed<IReadOnlyList<int>>(path, () => json["eos_token_id"] switch
        {
            JsonArray array => array.Select(n => n!.GetValue<int>()).ToArray(),
            JsonValue value => [value.GetValue<int>()],
            _ => [],
        });
    }

    private static (string Path, JsonObject Json)? Read(string? directory)
    {
        var path = directory is null ? null : Path.Combine(directory, FileName);
        if (path is null || !File.Exists(path)) return null;
        try
        {
            return (path, JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new EngineException($"{path}: expected a JSON object"));
        }
        catch (JsonException e)
        {
            throw new EngineException($"{path}: invalid JSON at line {e.LineNumber + 1}: {e.Message}");
        }
    }

    private static T Typed<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new EngineException($"{path}: a setting has the wrong type: {e.Message}");
        }
    }
}
