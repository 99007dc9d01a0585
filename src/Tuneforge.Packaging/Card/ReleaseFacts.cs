using System.Text.Json.Nodes;
using Tuneforge.Metrics.Reporting;

namespace Tuneforge.Packaging.Card;

/// <summary>One quantized format's line of quality.json (written by the Quantize stage).</summary>
public sealed record QuantizedFormat(string Format, long Bytes, double? Perplexity, double? RougeL, double? RougeLDelta);

/// <summary>
/// Everything the model card reports, read from the stages' outputs: clean and split statistics, the trainer's
/// state, metrics.json, quality.json. Each is optional: a missing one becomes "not measured" in the card.
/// </summary>
public sealed record ReleaseFacts
{
    public JsonObject? CleanStats { get; init; }
    public JsonObject? SplitStats { get; init; }
    public JsonObject? TrainerState { get; init; }
    public JsonObject? AdapterConfig { get; init; }
    public MetricsReport? Metrics { get; init; }
    public IReadOnlyList<QuantizedFormat> Quantized { get; init; } = [];
    public int? QualityExamples { get; init; }
    /// <summary>The chat template Quantize resolved (for <c>model.chat_template: auto</c>).</summary>
    public string? ChatTemplate { get; init; }

    public static ReleaseFacts Read(string? cleanStats, string? splitStats, string? trainerState, string? adapterConfig, string? metrics, string? quality)
    {
        var qualityJson = ReadObject(quality);
        return new ReleaseFacts
        {
            CleanStats = ReadObject(cleanStats),
            SplitStats = ReadObject(splitStats),
            TrainerState = ReadObject(trainerState),
            AdapterConfig = ReadObject(adapterConfig),
            Metrics = metrics is not null && File.Exists(metrics) ? MetricsReportJson.Read(metrics) : null,
            Quantized = (qualityJson?["formats"] as JsonArray)?.Select(f => new QuantizedFormat(
                f!["format"]!.GetValue<string>(),
                f["bytes"]?.GetValue<long>() ?? 0,
                Number(f["perplexity"]),
                Number(f["rougeL"]),
                Number(f["rougeL_delta"]))).ToList() ?? [],
            QualityExamples = qualityJson?["generation_examples"]?.GetValue<int>(),
            ChatTemplate = qualityJson?["chat_template"]?.GetValue<string>(),
        };
    }

    private static double? Number(JsonNode? node) => node is null ? null : node.GetValue<double>();

    private static JsonObject? ReadObject(string? path)
    {
        if (path is null || !File.Exists(path)) return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: expected a JSON object");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{path}:{e.LineNumber + 1}: invalid JSON: {e.Message}", e);
        }
    }
}
