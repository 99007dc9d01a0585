using Tuneforge.Data.Output;
using Tuneforge.Data.Reading;
using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Splitting;

/// <summary>Splits clean.jsonl into train/val/test: data.sources' records stratified by split.stratify_by, Clean's
/// groups kept whole, reviewed records always in train, deterministic for the same records and seed. Then the train
/// part alone is balanced (split.balance) and mixed with data.mix. Val and test lines are copied as they are, in their
/// clean.jsonl order; so is train when there is nothing to balance or mix.</summary>
internal static class SplitStage
{
    public static readonly string[] Parts = ["train", "val", "test"];
    public const string OwnSourceName = "data.sources";

    public static SplitResult Run(SplitSpec spec, DataSpec data, string cleanFile, string outputDirectory, CancellationToken cancellation)
    {
        if (!File.Exists(cleanFile)) throw new DataException($"{cleanFile} does not exist; run Clean first (./build.sh Clean).");
        var fractions = new[] { spec.Train, spec.Val, spec.Test };
        var lines = ReadLines(cleanFile, cancellation);
        var (units, missing) = Units(spec, lines);
        var records = units.Sum(u => u.Lines.Count);
        if (spec.StratifyBy is not null && records > 0 && missing == records)
            throw new DataException($"split.stratify_by: no record has '{spec.StratifyBy}'; use category, source, a field of your records, or null to not stratify.");

        var needed = SplitAllocation.MinimumRecords(fractions);
        if (records < needed)
            throw new DataException($"split: {records} records are too few for train {spec.Train} / val {spec.Val} / test {spec.Test}: " +
                                    $"every part needs at least one record, which takes at least {needed} records. Add data, or set a part's fraction to 0.");

        var byStratum = units.GroupBy(u => u.Stratum).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var targets = SplitAllocation.Targets([.. byStratum.Select(g => g.Sum(u => u.Lines.Count))], fractions);
        var partOfLine = new sbyte[lines.Count];
        Array.Fill(partOfLine, (sbyte)-1);
        var partOfUnit = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var s = 0; s < byStratum.Count; s++)
            SplitAllocation.Assign([.. byStratum[s]], targets[s], spec.Seed, (unit, part) => partOfUnit[unit.Key] = part);
        // A reviewed record was answered by an expert for training: its unit goes to train, wherever the seed put it.
        var reviewed = 0;
        foreach (var unit in units)
        {
            if (unit.Lines.Any(l => lines[l].Origin == RecordOrigin.Review) && partOfUnit[unit.Key] != 0)
            {
                reviewed += unit.Lines.Count;
                partOfUnit[unit.Key] = 0;
            }
            foreach (var line in unit.Lines) partOfLine[line] = (sbyte)partOfUnit[unit.Key];
        }
        var stratumCounts = byStratum.Select(g => Count(g.SelectMany(u => u.Lines), partOfLine)).ToList();
        var ownTotals = Count(units.SelectMany(u => u.Lines), partOfLine);
        for (var p = 0; p < Parts.Length; p++)
            if (fractions[p] > 0 && ownTotals[p] == 0)
                throw new DataException($"split: the {Parts[p]} part is empty: the {records} records form only {units.Count} groups that must stay together " +
                                        $"(records with the same prompt{(reviewed > 0 ? ", or reviewed records, which always train" : "")}). It needs at least {needed} groups; add data or set split.{Parts[p]} to 0.");

        var trainOwn = Enumerable.Range(0, lines.Count).Where(l => partOfLine[l] == 0).ToList();
        var train = TrainPart(spec, data, lines, trainOwn, partOfUnit, out var balance, out var mix);
        Directory.CreateDirectory(outputDirectory);
        using var files = new AtomicFiles(outputDirectory);
        SplitWriter.Write(cleanFile, partOfLine, train, files);
        var totals = new[] { train?.Count ?? ownTotals[0], ownTotals[1], ownTotals[2] };
        var trainLines = train ?? trainOwn;
        var byCategory = Table(lines, l => l.Category, trainLines, partOfLine);
        var bySource = Table(lines, l => l.SourceName, trainLines, partOfLine);
        var summary = new SplitSummary(spec, totals, [.. byStratum.Select((g, s) => (g.Key, stratumCounts[s]))], byCategory, bySource,
            units.Count, units.Count(u => u.Lines.Count > 1), units.Count == 0 ? 0 : units.Max(u => u.Lines.Count), reviewed, balance, mix, data.MixStrategy);
        using (var stream = files.Create("split.json")) SplitSummaryJson.Write(stream, summary);
        files.Commit();
        return new SplitResult(Parts.Select((name, p) => (name, totals[p])).ToDictionary(x => x.name, x => x.Item2), byCategory,
            summary.Units, summary.LargestUnit, outputDirectory) { Balance = balance, Mix = mix, BySource = bySource, Reviewed = reviewed };
    }

    // The train part's lines in order when balancing or mixing changes them; null when it is data.sources' train lines as they are.
    static List<int>? TrainPart(SplitSpec spec, DataSpec data, List<SplitLine> lines, List<int> trainOwn, Dictionary<string, int> partOfUnit,
        out BalanceStats? balance, out IReadOnlyList<MixSourceStats>? mix)
    {
        balance = null;
        mix = null;
        List<int>? train = null;
        if (spec.Balance is { } balanceSpec) (train, balance) = TrainBalancer.Balance(trainOwn, lines, balanceSpec, spec.Seed);
        var mixLines = Enumerable.Range(0, lines.Count).Where(l => lines[l].Origin == RecordOrigin.Mix).ToList();
        if (mixLines.Count == 0 && data.Mix.Count == 0) return train;

        var own = train ?? trainOwn;
        var sources = new List<MixSource> { new(OwnSourceName, data.Weight ?? 1 - data.Mix.Sum(m => m.Weight ?? 0), own) };
        var stats = new List<MixSourceStats>();
        var byName = mixLines.GroupBy(l => lines[l].SourceName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var unknown = byName.Keys.Where(name => !data.Mix.Any(m => InputSet.NameOf(m) == name)).ToList();
        if (unknown.Count > 0)
            throw new DataException($"split: clean.jsonl has records mixed from '{unknown[0]}', which data.mix does not list; run Clean again with this pipeline.");
        var heldOut = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in data.Mix)
        {
            var name = InputSet.NameOf(entry);
            var all = byName.GetValueOrDefault(name) ?? [];
            // A mixed record with the same prompt as a val or test record would leak the answer into training.
            var kept = all.Where(l => lines[l].Group is not { } g || !partOfUnit.TryGetValue(g, out var part) || part == 0).ToList();
            heldOut[name] = all.Count - kept.Count;
            sources.Add(new MixSource(name, entry.Weight, kept));
        }
        var stream = MixInterleaver.Interleave(sources, data.MixStrategy, spec.Seed, lines);
        var taken = stream.GroupBy(l => lines[l].Origin == RecordOrigin.Mix ? lines[l].SourceName : OwnSourceName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        mix = [.. sources.Select(s => new MixSourceStats(s.Name, data.MixStrategy == MixStrategy.Concat ? null : s.Probability,
            s.Lines.Distinct().Count(), taken.GetValueOrDefault(s.Name), heldOut.GetValueOrDefault(s.Name)))];
        return stream;
    }

    static List<SplitLine> ReadLines(string cleanFile, CancellationToken cancellation)
    {
        var lines = new List<SplitLine>();
        using var stream = File.OpenRead(cleanFile);
        var lineNumber = 0;
        foreach (var line in ByteLines.Read(stream))
        {
            lineNumber++;
            if (line.IsEmpty) continue;
            if ((lines.Count & 0xFFFF) == 0) cancellation.ThrowIfCancellationRequested();
            var record = RecordJson.Parse(line.Span, new SourceLocation(Path.GetFileName(cleanFile), lineNumber));
            lines.Add(new SplitLine(record.Id, record.Category, record.Origin, record.SourceName, record.Group, record.Metadata));
        }
        return lines;
    }

    // Units of data.sources' and the reviews' records; mixed records never enter val or test.
    static (List<SplitUnit> Units, int Missing) Units(SplitSpec spec, List<SplitLine> lines)
    {
        var units = new Dictionary<string, SplitUnit>(StringComparer.Ordinal);
        var ordered = new List<SplitUnit>();
        var missing = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Origin == RecordOrigin.Mix) continue;
            var stratum = spec.StratifyBy is null ? "" : line.Field(spec.StratifyBy);
            if (stratum is null) missing++;
            var key = line.Group ?? line.Id;
            if (!units.TryGetValue(key, out var unit))
            {
                unit = new SplitUnit(key, stratum ?? "", []);
                units[key] = unit;
                ordered.Add(unit);
            }
            unit.Lines.Add(i);
        }
        return (ordered, missing);
    }

    static int[] Count(IEnumerable<int> lines, sbyte[] partOfLine)
    {
        var counts = new int[Parts.Length];
        foreach (var line in lines) counts[partOfLine[line]]++;
        return counts;
    }

    // Per key (category, source), lines per part: val and test as split, train as finally written (copies counted).
    static List<(string Key, int[] Counts)> Table(List<SplitLine> lines, Func<SplitLine, string> key, IEnumerable<int> train, sbyte[] partOfLine)
    {
        var counts = new Dictionary<string, int[]>(StringComparer.Ordinal);
        int[] Row(int line) => counts.TryGetValue(key(lines[line]), out var row) ? row : counts[key(lines[line])] = new int[Parts.Length];
        foreach (var line in train) Row(line)[0]++;
        for (var line = 0; line < lines.Count; line++)
            if (partOfLine[line] > 0) Row(line)[partOfLine[line]]++;
        return [.. counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (c.Key, c.Value))];
    }
}
