using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tuneforge.Engine.Quantization.Quality;

/// <summary>One output format as quality.json records it.</summary>
/// <param name="Path">The file or folder, relative to the Quantize output folder.</param>
/// <param name="Perplexity">On the test examples' response tokens; null when quality is not measured.</param>
/// <param name="RougeL">Mean ROUGE-L F1 of its greedy answers; <paramref name="RougeLDelta"/> is this minus the merged model's.</param>
public sealed record FormatQuality(string Format, string Path, long Bytes, double? Perplexity, double? RougeL, double? RougeLDelta);

/// <summary>
/// quality.json: per format, size, perplexity and ROUGE-L change against the unquantized merged model. No times or
/// absolute paths, values rounded to 6 significant digits, so the same model gives the same bytes (it goes into the release).
/// </summary>
public static class QualityReport
{
    public const string FileName = "quality.json";
    public const string Schema = "tuneforge.quality/1";

    public static void Write(string path, IReadOnlyList<FormatQuality> formats, string chatTemplate, int perplexityExamples, int generationExamples, int maxNewTokens)
    {
        var json = new JsonObject
        {
            ["schema"] = Schema,
            ["chat_template"] = chatTemplate,
            ["reference"] = "merged",
            ["perplexity_examples"] = perplexityExamples,
            ["generation_examples"] = generationExamples,
            ["max_new_tokens"] = maxNewTokens,
            ["formats"] = new JsonArray(formats.Select(f => (JsonNode)new JsonObject
            {
                ["format"] = f.Format,
                ["path"] = f.Path,
                ["bytes"] = f.Bytes,
                ["perplexity"] = Round(f.Perplexity),
                ["rougeL"] = Round(f.RougeL),
                ["rougeL_delta"] = Round(f.RougeLDelta),
            }).ToArray()),
        };
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    private static double? Round(double? value) =>
        value is not { } v || double.IsNaN(v) ? null : v == 0 ? 0 : Math.Round(v, Math.Clamp(5 - (int)Math.Floor(Math.Log10(Math.Abs(v))), 0, 15));
}
