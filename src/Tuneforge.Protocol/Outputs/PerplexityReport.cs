using System.Text.Json;
using System.Text.Json.Serialization;
using Tuneforge.Files;

namespace Tuneforge.Protocol;

/// <summary>perplexity.json: the perplexity of the test references (response tokens, teacher-forced) under the tuned
/// model and the base, overall and per category; and of the forgetting check's general text (evaluate.forgetting),
/// overall and per file.</summary>
public sealed record PerplexityReport
{
    public const string FileName = "perplexity.json";

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public double? Tuned { get; init; }
    public double? Base { get; init; }
    public Dictionary<string, double> TunedByCategory { get; init; } = [];
    public Dictionary<string, double> BaseByCategory { get; init; } = [];
    public long? ReferenceTokens { get; init; }
    public double? GeneralTuned { get; init; }
    public double? GeneralBase { get; init; }
    public Dictionary<string, double> GeneralTunedByFile { get; init; } = [];
    public Dictionary<string, double> GeneralBaseByFile { get; init; } = [];
    public long? GeneralTokens { get; init; }
    public int? GeneralDocuments { get; init; }

    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");

    public static PerplexityReport Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<PerplexityReport>(File.ReadAllText(path), Json) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new StageFileException($"{path}: unreadable perplexity report: {e.Message}", "Run the Predict stage again: ./build.sh Evaluate --force Predict");
        }
    }
}
