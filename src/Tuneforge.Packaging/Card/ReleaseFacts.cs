using System.Text.Json.Nodes;
using Tuneforge.Metrics.Reporting;
using Tuneforge.Protocol;

namespace Tuneforge.Packaging.Card;

/// <summary>
/// Everything the model card reports, read from the stages' outputs: clean and split statistics, the trainer's
/// state, the adapter's config, metrics.json, quality.json. Each is optional: a missing one becomes "not measured" in the card.
/// </summary>
public sealed record ReleaseFacts
{
    public JsonObject? CleanStats { get; init; }
    public JsonObject? SplitStats { get; init; }
    public TrainerState? TrainerState { get; init; }
    /// <summary>False for a full fine-tune: the release holds the whole model instead of an adapter.</summary>
    public bool IsAdapter { get; init; } = true;
    public JsonObject? AdapterConfig { get; init; }
    public MetricsReport? Metrics { get; init; }
    public IReadOnlyList<FormatQuality> Quantized { get; init; } = [];
    public int? QualityExamples { get; init; }
    /// <summary>The chat template Quantize resolved (for <c>model.chat_template: auto</c>).</summary>
    public string? ChatTemplate { get; init; }

    public static ReleaseFacts Read(string? cleanStats, string? splitStats, TrainOutputs train, TrainedWeights weights, string? metrics, string? quality)
    {
        var qualityReport = quality is not null && File.Exists(quality) ? QualityReport.Read(quality) : null;
        return new ReleaseFacts
        {
            CleanStats = ReadObject(cleanStats),
            SplitStats = ReadObject(splitStats),
            TrainerState = train.State(),
            IsAdapter = weights.IsAdapter,
            AdapterConfig = weights.IsAdapter ? ReadObject(Path.Combine(weights.Directory, TrainOutputs.AdapterConfigFile)) : null,
            Metrics = metrics is not null && File.Exists(metrics) ? MetricsReportJson.Read(metrics) : null,
            Quantized = qualityReport?.Formats ?? [],
            QualityExamples = qualityReport?.GenerationExamples,
            ChatTemplate = qualityReport?.ChatTemplate,
        };
    }

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
