using System.Text.Json;
using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Model;

namespace Tuneforge.Data.Splitting;

/// <summary>Writes split.json; no times or absolute paths, so the same input gives the same bytes.</summary>
internal static class SplitSummaryJson
{
    public static void Write(Stream stream, SplitSummary summary)
    {
        var spec = summary.Spec;
        var parts = SplitStage.Parts;
        using var json = new Utf8JsonWriter(stream, RecordJson.WriterOptions with { Indented = true });
        json.WriteStartObject();
        json.WriteString("version", DataVersion.Split);
        json.WriteNumber("seed", spec.Seed);
        if (spec.StratifyBy is null) json.WriteNull("stratify_by");
        else json.WriteString("stratify_by", spec.StratifyBy);
        json.WriteStartObject("fractions");
        json.WriteNumber("train", spec.Train);
        json.WriteNumber("val", spec.Val);
        json.WriteNumber("test", spec.Test);
        json.WriteEndObject();
        json.WriteStartObject("counts");
        for (var p = 0; p < parts.Length; p++) json.WriteNumber(parts[p], summary.Totals[p]);
        json.WriteEndObject();
        WriteTable(json, "by_category", summary.ByCategory);
        if (spec.StratifyBy is not (null or "category")) WriteTable(json, "by_stratum", summary.ByStratum);
        if (summary.BySource.Count > 1) WriteTable(json, "by_source", summary.BySource);
        json.WriteStartObject("groups");
        json.WriteNumber("units", summary.Units);
        json.WriteNumber("multi_record", summary.MultiRecordUnits);
        json.WriteNumber("largest", summary.LargestUnit);
        json.WriteEndObject();
        if (summary.Reviewed > 0) json.WriteNumber("reviewed_moved_to_train", summary.Reviewed);
        if (summary.Balance is { } balance) WriteBalance(json, spec.Balance!, balance);
        if (summary.Mix is { } mix) WriteMix(json, summary.MixStrategy, mix);
        json.WriteEndObject();
    }

    static void WriteBalance(Utf8JsonWriter json, Pipeline.Spec.BalanceSpec spec, BalanceStats stats)
    {
        json.WriteStartObject("balance");
        json.WriteString("by", stats.By);
        if (spec.MaxPerGroup is { } max) json.WriteNumber("max_per_group", max);
        if (spec.MinPerGroup is { } min) json.WriteNumber("min_per_group", min);
        if (spec.Proportions.Count > 0)
        {
            json.WriteStartObject("proportions");
            foreach (var (group, share) in spec.Proportions.OrderBy(p => p.Key, StringComparer.Ordinal)) json.WriteNumber(group, share);
            json.WriteEndObject();
        }
        json.WriteNumber("train_before", stats.Before);
        json.WriteNumber("train_after", stats.After);
        json.WriteStartObject("groups");
        foreach (var (group, before, after) in stats.Groups)
        {
            json.WriteStartObject(group);
            json.WriteNumber("before", before);
            json.WriteNumber("after", after);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    static void WriteMix(Utf8JsonWriter json, Pipeline.Spec.MixStrategy strategy, IReadOnlyList<MixSourceStats> sources)
    {
        json.WriteStartObject("mix");
        json.WriteString("strategy", SpecModel.EnumName(strategy));
        json.WriteStartArray("sources");
        foreach (var source in sources)
        {
            json.WriteStartObject();
            json.WriteString("name", source.Name);
            if (source.Probability is { } probability) json.WriteNumber("probability", Math.Round(probability, 9));
            json.WriteNumber("available", source.Available);
            json.WriteNumber("taken", source.Taken);
            if (source.HeldOut > 0) json.WriteNumber("held_out_same_prompt_as_val_or_test", source.HeldOut);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    static void WriteTable(Utf8JsonWriter json, string name, List<(string Key, int[] Counts)> rows)
    {
        json.WriteStartObject(name);
        foreach (var (key, counts) in rows)
        {
            json.WriteStartObject(key);
            for (var p = 0; p < SplitStage.Parts.Length; p++) json.WriteNumber(SplitStage.Parts[p], counts[p]);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }
}
