using System.Text.Json;
using Tuneforge.Serve.Generation;

namespace Tuneforge.Serve.Api;

/// <summary>The sampling fields both generation endpoints accept, read and range-checked with the field named on error.</summary>
internal static class SamplingFields
{
    public static SamplingSettings Read(JsonFields fields, int maxTokens, SamplingDefaults defaults, RequestLimits limits)
    {
        var temperature = fields.Number("temperature") ?? defaults.Temperature;
        if (!(temperature >= 0 && temperature <= 2)) throw ApiError.Invalid("temperature", $"must be between 0 and 2, got {temperature}");
        var topP = fields.Number("top_p") ?? defaults.TopP;
        if (!(topP > 0 && topP <= 1)) throw ApiError.Invalid("top_p", $"must be greater than 0 and at most 1, got {topP}");
        var topK = fields.Integer("top_k") ?? defaults.TopK;
        if (topK < 0) throw ApiError.Invalid("top_k", $"must be ≥ 0 (0 = off), got {topK}");
        var penalty = fields.Number("repetition_penalty") ?? defaults.RepetitionPenalty;
        if (!(penalty > 0 && penalty <= 10)) throw ApiError.Invalid("repetition_penalty", $"must be greater than 0 and at most 10 (1 = off), got {penalty}");
        return new SamplingSettings
        {
            MaxTokens = maxTokens,
            Temperature = temperature,
            TopP = topP,
            TopK = topK,
            RepetitionPenalty = penalty,
            Seed = fields.Long("seed") ?? Random.Shared.NextInt64(),
            Stop = ReadStop(fields),
        };
    }

    /// <summary>A token count field: at least 1 and within the server's limit.</summary>
    public static int ReadMaxTokens(JsonFields fields, string key, int fallback, RequestLimits limits)
    {
        var value = fields.Integer(key) ?? fallback;
        if (value < 1) throw ApiError.Invalid(key, $"must be at least 1, got {value}");
        if (value > limits.MaxTokens) throw ApiError.Invalid(key, $"must be at most {limits.MaxTokens} on this server, got {value}");
        return value;
    }

    private static IReadOnlyList<string> ReadStop(JsonFields fields)
    {
        switch (fields.Get("stop"))
        {
            case null:
                return [];
            case { ValueKind: JsonValueKind.String } single:
                return single.GetString() is { Length: > 0 } only ? [only] : throw ApiError.Invalid("stop", "must not be an empty string");
            case { ValueKind: JsonValueKind.Array } array:
                var stops = new List<string>();
                var index = 0;
                foreach (var item in array.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 } text)
                        throw ApiError.Invalid($"stop[{index}]", $"must be a non-empty string, found {JsonFields.Kind(item)}");
                    stops.Add(text);
                    index++;
                }
                if (stops.Count > RequestLimits.MaxStopStrings) throw ApiError.Invalid("stop", $"at most {RequestLimits.MaxStopStrings} stop strings, got {stops.Count}");
                return stops;
            case var other:
                throw ApiError.Invalid("stop", $"must be a string or an array of strings, found {JsonFields.Kind(other.Value)}");
        }
    }
}
