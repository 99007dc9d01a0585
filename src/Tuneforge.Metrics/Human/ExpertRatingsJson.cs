using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tuneforge.Metrics.Human;

/// <summary>Reads and writes review_ratings.json: indented, "\n" line ends, the same bytes for the same ratings.</summary>
public static class ExpertRatingsJson
{
    public const string FileName = "review_ratings.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(ExpertRatings ratings) => JsonSerializer.Serialize(ratings, Options) + "\n";

    public static byte[] Utf8(ExpertRatings ratings) => new UTF8Encoding(false).GetBytes(Serialize(ratings));

    /// <summary>The ratings in a file written by <see cref="Serialize"/>; null when there is no such file.</summary>
    public static ExpertRatings? ReadIfPresent(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<ExpertRatings>(File.ReadAllText(path), Options)
                ?? throw new InvalidDataException($"{path}: empty ratings file; run Clean again");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{(e.LineNumber ?? 0) + 1}: not a ratings summary ({e.Message}); run Clean again", e);
        }
    }
}
