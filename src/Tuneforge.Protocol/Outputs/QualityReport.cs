using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Files;

namespace Tuneforge.Protocol;

/// <summary>One output format as quality.json records it.</summary>
/// <param name="Path">The file or folder, relative to the Quantize output folder.</param>
/// <param name="Perplexity">On the test examples' response tokens; null when quality is not measured.</param>
/// <param name="RougeL">Mean ROUGE-L F1 of its greedy answers; <paramref name="RougeLDelta"/> is this minus the merged model's.</param>
public sealed record FormatQuality(string Format, string Path, long Bytes, double? Perplexity, double? RougeL, double? RougeLDelta);

/// <summary>
/// quality.json: per format, size, perplexity and ROUGE-L change against the unquantized merged model. No times or
/// absolute paths, values rounded to 6 significant digits, so the same model gives the same bytes (it goes into the release).
/// </summary>
public sealed record QualityReport(string ChatTemplate, int? PerplexityExamples, int? GenerationExamples, int? MaxNewTokens, IReadOnlyList<FormatQuality> Formats)
{
    public const string FileName = "quality.json";
    public const string Schema = "tuneforge.quality/1";

    public void Write(string path)
    {
        var json = new JsonObject
        {
            ["schema"] = Schema,
            ["chat_template"] = ChatTemplate,
            ["reference"] = "merged",
            ["perplexity_examples"] = PerplexityExamples,
            ["generation_examples"] = GenerationExamples,
            ["max_new_tokens"] = MaxNewTokens,
            ["formats"] = new JsonArray(Formats.Select(f => (JsonNode)new JsonObject
            {
                ["format"] = f.Format,
                ["path"] = f.Path,
                ["bytes"] = f.Bytes,
                ["perplexity"] = Round(f.Perplexity),
                ["rougeL"] = Round(f.RougeL),
                ["rougeL_delta"] = Round(f.RougeLDelta),
            }).ToArray()),
        };
        AtomicFile.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    public static QualityReport Read(string path)
    {
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("expected a JSON object");
            if (json["schema"]?.GetValue<string>() != Schema) throw new JsonException($"schema is not {Schema}");
            var formats = (json["formats"] as JsonArray ?? []).Select(f =>
            {
                var format = Required(f, "format").GetValue<string>();
                return new FormatQuality(format, f!["path"]?.GetValue<string>() ?? QuantizeOutputs.RelativePath(format), Required(f, "bytes").GetValue<long>(),
                    Number(f["perplexity"]), Number(f["rougeL"]), Number(f["rougeL_delta"]));
            }).ToList();
            return new QualityReport(Required(json, "chat_template").GetValue<string>(), json["perplexity_examples"]?.GetValue<int>(),
                json["generation_examples"]?.GetValue<int>(), json["max_new_tokens"]?.GetValue<int>(), formats);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new StageFileException($"{path}: unreadable quality report: {e.Message}", "Run the Quantize stage again: ./build.sh Quantize --force Quantize");
        }
    }

    static JsonNode Required(JsonNode? parent, string key) => parent?[key] ?? throw new JsonException($"'{key}' is missing");

    static double? Number(JsonNode? node) => node?.GetValue<double>();

    static double? Round(double? value) =>
        value is not { } v || double.IsNaN(v) ? null : v == 0 ? 0 : Math.Round(v, Math.Clamp(5 - (int)Math.Floor(Math.Log10(Math.Abs(v))), 0, 15));
}
