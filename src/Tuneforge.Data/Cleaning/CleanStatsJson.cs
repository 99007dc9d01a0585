using System.Text.Json;
using Tuneforge.Data.Cleaning.Dedupe;
using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Cleaning;

/// <summary>Writes stats.json: counts by file, reason and category, length distributions, redactions, conflicts and
/// the near-duplicate settings. No times or paths outside the repository, so the same input gives the same bytes.</summary>
internal static class CleanStatsJson
{
    public static void Write(Stream stream, CleanStats stats, CleanSpec clean, LshParameters? lsh)
    {
        using var json = new Utf8JsonWriter(stream, RecordJson.WriterOptions with { Indented = true });
        json.WriteStartObject();
        json.WriteString("version", DataVersion.Clean);
        json.WriteNumber("input", stats.Input);
        json.WriteNumber("kept", stats.Kept);
        json.WriteNumber("rejected", stats.Rejected);
        json.WriteStartArray("files");
        foreach (var (file, records) in stats.Files)
        {
            json.WriteStartObject();
            json.WriteString("file", file);
            json.WriteNumber("records", records);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject("rejected_by_reason");
        foreach (var (reason, count, _) in stats.RejectedByReason) json.WriteNumber(reason, count);
        json.WriteEndObject();
        json.WriteStartObject("by_category");
        foreach (var (category, input, kept, rejected) in stats.ByCategory)
        {
            json.WriteStartObject(category);
            json.WriteNumber("input", input);
            json.WriteNumber("kept", kept);
            json.WriteNumber("rejected", rejected);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        WriteDistribution(json, "chars", stats.CharsOfKept);
        if (stats.TokensOfKept is { } tokens) WriteDistribution(json, "tokens", tokens);
        json.WriteStartObject("pii_redactions");
        foreach (var (kind, count) in stats.Redactions) json.WriteNumber(JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString()), count);
        json.WriteEndObject();
        json.WriteStartObject("conflicts");
        json.WriteString("policy", JsonNamingPolicy.SnakeCaseLower.ConvertName(clean.OnConflict.ToString()));
        json.WriteNumber("groups", stats.ConflictGroups);
        json.WriteNumber("records", stats.ConflictRecords);
        json.WriteEndObject();
        json.WriteStartObject("near_dedupe");
        json.WriteBoolean("enabled", clean.NearDedupe.Enabled);
        if (lsh is not null)
        {
            json.WriteNumber("threshold", clean.NearDedupe.Threshold);
            json.WriteNumber("ngram", clean.NearDedupe.Ngram);
            json.WriteNumber("num_perm", clean.NearDedupe.NumPerm);
            json.WriteNumber("bands", lsh.Bands);
            json.WriteNumber("rows", lsh.Rows);
            json.WriteNumber("recall_at_threshold", Math.Round(lsh.CandidateProbability(clean.NearDedupe.Threshold), 4));
        }
        json.WriteEndObject();
        json.WriteNumber("renamed_ids", stats.RenamedIds);
        json.WriteEndObject();
    }

    /// <summary>A <c>length_{name}</c> object: min, percentiles, max, mean and the histogram.</summary>
    public static void WriteDistribution(Utf8JsonWriter json, string name, LengthDistribution d)
    {
        json.WriteStartObject($"length_{name}");
        json.WriteNumber("min", d.Min);
        json.WriteNumber("p10", d.P10);
        json.WriteNumber("p50", d.P50);
        json.WriteNumber("p90", d.P90);
        json.WriteNumber("p99", d.P99);
        json.WriteNumber("max", d.Max);
        json.WriteNumber("mean", d.Mean);
        json.WriteStartArray("histogram");
        foreach (var (upTo, count) in d.Histogram)
        {
            json.WriteStartObject();
            if (upTo == int.MaxValue) json.WriteNull("up_to");
            else json.WriteNumber("up_to", upTo);
            json.WriteNumber("count", count);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
