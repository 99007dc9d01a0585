using System.Text.Json;
using Tuneforge.Data.Output;
using Tuneforge.Data.Reading;
using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Splitting;

/// <summary>Splits clean.jsonl into train/val/test: stratified by split.stratify_by, Clean's groups kept whole,
/// deterministic for the same records and seed. Lines are copied as they are, in their clean.jsonl order.</summary>
internal static class SplitStage
{
    public static readonly string[] Parts = ["train", "val", "test"];

    public static SplitResult Run(SplitSpec spec, string cleanFile, string outputDirectory, CancellationToken cancellation)
    {
        if (!File.Exists(cleanFile)) throw new DataException($"{cleanFile} does not exist; run Clean first (./build.sh Clean).");
        var fractions = new[] { spec.Train, spec.Val, spec.Test };
        var (units, records, categoryOfLine) = ReadUnits(spec, cleanFile, cancellation);

        var needed = SplitAllocation.MinimumRecords(fractions);
        if (records < needed)
            throw new DataException($"split: {records} records are too few for train {spec.Train} / val {spec.Val} / test {spec.Test}: " +
                                    $"every part needs at least one record, which takes at least {needed} records. Add data, or set a part's fraction to 0.");

        var byStratum = units.GroupBy(u => u.Stratum).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var targets = SplitAllocation.Targets([.. byStratum.Select(g => g.Sum(u => u.Lines.Count))], fractions);
        var partOfLine = new byte[records];
        var counts = new int[byStratum.Count][];
        for (var s = 0; s < byStratum.Count; s++)
        {
            var stratumCounts = counts[s] = new int[Parts.Length];
            SplitAllocation.Assign([.. byStratum[s]], targets[s], spec.Seed, (unit, part) =>
            {
                foreach (var line in unit.Lines) partOfLine[line] = (byte)part;
                stratumCounts[part] += unit.Lines.Count;
            });
        }
        var totals = Enumerable.Range(0, Parts.Length).Select(p => counts.Sum(c => c[p])).ToArray();
        for (var p = 0; p < Parts.Length; p++)
            if (fractions[p] > 0 && totals[p] == 0)
                throw new DataException($"split: the {Parts[p]} part is empty: the {records} records form only {units.Count} groups that must stay together " +
                                        $"(records with the same prompt). It needs at least {needed} groups; add data or set split.{Parts[p]} to 0.");

        Directory.CreateDirectory(outputDirectory);
        using var files = new AtomicFiles(outputDirectory);
        WriteParts(cleanFile, partOfLine, files);
        var byCategory = ByCategory(categoryOfLine, partOfLine);
        using (var stream = files.Create("split.json"))
            WriteSummary(stream, spec, totals, byStratum.Select((g, s) => (g.Key, counts[s])).ToList(), byCategory, units);
        files.Commit();
        return new SplitResult(
            Parts.Select((name, p) => (name, totals[p])).ToDictionary(x => x.name, x => x.Item2),
            byCategory,
            units.Count, units.Count == 0 ? 0 : units.Max(u => u.Lines.Count), outputDirectory,
            SmallStrata(spec, fractions, needed, byStratum.Select((g, s) => (g.Key, counts[s])).ToList()));
    }

    // A stratum with fewer records than every part needs to get one is missing from a part: Evaluate cannot measure it.
    static List<string> SmallStrata(SplitSpec spec, double[] fractions, int needed, List<(string Stratum, int[] Counts)> strata)
    {
        if (spec.StratifyBy is null) return [];
        var what = spec.StratifyBy == "category" ? "category" : $"split.stratify_by value ({spec.StratifyBy})";
        var shares = string.Join(" / ", Parts.Select((p, i) => $"{p} {fractions[i]}"));
        return [.. strata.Where(s => s.Counts.Sum() < needed).Select(s =>
            $"split: {what} '{s.Stratum}' has {s.Counts.Sum()} records, fewer than the {needed} that give every part ({shares}) at least one; " +
            $"it got {string.Join(", ", Parts.Select((p, i) => $"{p} {s.Counts[i]}"))}" +
            (Parts.Where((_, i) => fractions[i] > 0 && s.Counts[i] == 0).ToList() is { Count: > 0 } empty ? $", so none of it is in {string.Join(" or ", empty)}" : "") +
            ". Add records to it, or merge it into another category.")];
    }

    static (List<SplitUnit> Units, int Records, List<string> CategoryOfLine) ReadUnits(SplitSpec spec, string cleanFile, CancellationToken cancellation)
    {
        var units = new Dictionary<string, SplitUnit>(StringComparer.Ordinal);
        var ordered = new List<SplitUnit>();
        var categories = new List<string>();
        var records = 0;
        var missing = 0;
        using var stream = File.OpenRead(cleanFile);
        var lineNumber = 0;
        foreach (var line in ByteLines.Read(stream))
        {
            lineNumber++;
            if (line.IsEmpty) continue;
            if ((records & 0xFFFF) == 0) cancellation.ThrowIfCancellationRequested();
            var record = RecordJson.Parse(line.Span, new SourceLocation(Path.GetFileName(cleanFile), lineNumber));
            var stratum = Stratum(spec.StratifyBy, record, ref missing);
            var key = record.Group ?? record.Id;
            if (!units.TryGetValue(key, out var unit))
            {
                unit = new SplitUnit(key, stratum, []);
                units[key] = unit;
                ordered.Add(unit);
            }
            unit.Lines.Add(records++);
            categories.Add(record.Category);
        }
        if (spec.StratifyBy is not null && records > 0 && missing == records)
            throw new DataException($"split.stratify_by: no record has '{spec.StratifyBy}'; use category, source, a field of your records, or null to not stratify.");
        return (ordered, records, categories);
    }

    static string Stratum(string? field, CanonicalRecord record, ref int missing)
    {
        switch (field)
        {
            case null: return "";
            case "category": return record.Category;
            case "source": return record.Source.File;
        }
        if (record.Metadata.TryGetValue(field, out var value)) return value;
        missing++;
        return "";
    }

    static void WriteParts(string cleanFile, byte[] partOfLine, AtomicFiles files)
    {
        var outputs = Parts.Select(p => files.Create($"{p}.jsonl")).ToArray();
        try
        {
            using var stream = File.OpenRead(cleanFile);
            var index = 0;
            foreach (var line in ByteLines.Read(stream))
            {
                if (line.IsEmpty) continue;
                var output = outputs[partOfLine[index++]];
                output.Write(line.Span);
                output.WriteByte((byte)'\n');
            }
        }
        finally
        {
            foreach (var output in outputs) output.Dispose();
        }
    }

    static List<(string Category, int[] Counts)> ByCategory(List<string> categoryOfLine, byte[] partOfLine)
    {
        var counts = new Dictionary<string, int[]>(StringComparer.Ordinal);
        for (var line = 0; line < categoryOfLine.Count; line++)
        {
            if (!counts.TryGetValue(categoryOfLine[line], out var perPart)) counts[categoryOfLine[line]] = perPart = new int[Parts.Length];
            perPart[partOfLine[line]]++;
        }
        return [.. counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (c.Key, c.Value))];
    }

    static void WriteSummary(Stream stream, SplitSpec spec, int[] totals, List<(string Stratum, int[] Counts)> byStratum,
        List<(string Category, int[] Counts)> byCategory, List<SplitUnit> units)
    {
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
        for (var p = 0; p < Parts.Length; p++) json.WriteNumber(Parts[p], totals[p]);
        json.WriteEndObject();
        WriteTable(json, "by_category", byCategory);
        if (spec.StratifyBy is not (null or "category")) WriteTable(json, "by_stratum", byStratum);
        json.WriteStartObject("groups");
        json.WriteNumber("units", units.Count);
        json.WriteNumber("multi_record", units.Count(u => u.Lines.Count > 1));
        json.WriteNumber("largest", units.Count == 0 ? 0 : units.Max(u => u.Lines.Count));
        json.WriteEndObject();
        json.WriteEndObject();
    }

    static void WriteTable(Utf8JsonWriter json, string name, List<(string Key, int[] Counts)> rows)
    {
        json.WriteStartObject(name);
        foreach (var (key, counts) in rows)
        {
            json.WriteStartObject(key);
            for (var p = 0; p < Parts.Length; p++) json.WriteNumber(Parts[p], counts[p]);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }
}
