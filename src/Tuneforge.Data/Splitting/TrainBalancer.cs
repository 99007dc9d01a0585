using System.IO.Hashing;
using System.Text;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Splitting;

/// <summary>Group sizes of the train part before and after split.balance, groups in ordinal order.</summary>
public sealed record BalanceStats(string By, IReadOnlyList<(string Group, int Before, int After)> Groups)
{
    public int Before => Groups.Sum(g => g.Before);
    public int After => Groups.Sum(g => g.After);
}

/// <summary>split.balance on the train part: a group above the cap keeps the records first in a seeded order; a group
/// below the floor repeats every record as evenly as possible (the first in the seeded order once more); proportions set
/// each group's size to its share of the train part's size (largest remainder), by the same two means.</summary>
internal static class TrainBalancer
{
    public const string NoValue = "(none)";

    /// <summary>The train part's lines after balancing, in clean.jsonl order, a repeated record's copies together.</summary>
    public static (List<int> Lines, BalanceStats Stats) Balance(IReadOnlyList<int> trainLines, IReadOnlyList<SplitLine> lines, BalanceSpec spec, int seed)
    {
        var groups = trainLines.GroupBy(l => lines[l].Field(spec.By) ?? NoValue, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        if (spec.By is not ("category" or "source") && groups.Count == 1 && groups.ContainsKey(NoValue))
            throw new DataException($"split.balance.by: no train record has '{spec.By}'; use category, source or a field of your records.");
        var targets = Targets(groups, spec, trainLines.Count);
        var copies = new Dictionary<int, int>();
        foreach (var (group, members) in groups)
            foreach (var (line, count) in Allocate(members, targets[group], lines, seed)) copies[line] = count;
        var balanced = new List<int>(targets.Values.Sum());
        foreach (var line in trainLines)
            for (var copy = 0; copy < copies.GetValueOrDefault(line); copy++) balanced.Add(line);
        var stats = new BalanceStats(spec.By, [.. groups.Keys.Union(targets.Keys).Order(StringComparer.Ordinal)
            .Select(g => (g, groups.TryGetValue(g, out var m) ? m.Count : 0, targets.GetValueOrDefault(g)))]);
        return (balanced, stats);
    }

    static Dictionary<string, int> Targets(Dictionary<string, List<int>> groups, BalanceSpec spec, int total)
    {
        if (spec.Proportions.Count == 0)
            return groups.ToDictionary(g => g.Key, g => Math.Max(Math.Min(g.Value.Count, spec.MaxPerGroup ?? int.MaxValue), spec.MinPerGroup ?? 0), StringComparer.Ordinal);
        var unlisted = groups.Keys.Where(g => !spec.Proportions.ContainsKey(g)).Order(StringComparer.Ordinal).ToList();
        if (unlisted.Count > 0)
            throw new DataException($"split.balance.proportions: the train part has {string.Join(", ", unlisted.Select(g => $"'{g}' ({groups[g].Count} records)"))}, not listed; " +
                                    $"list every {spec.By} with its share (the listed ones: {string.Join(", ", spec.Proportions.Keys)}).");
        var empty = spec.Proportions.Keys.Where(g => !groups.ContainsKey(g)).Order(StringComparer.Ordinal).ToList();
        if (empty.Count > 0)
            throw new DataException($"split.balance.proportions.{empty[0]}: the train part has no record with {spec.By} '{empty[0]}', so it cannot be up-sampled; remove it or add data.");
        // Largest remainder: each group gets the floor of its share, the groups with the largest fractions one more.
        var shares = spec.Proportions.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, Share: p.Value * total)).ToList();
        var targets = shares.ToDictionary(s => s.Key, s => (int)Math.Floor(s.Share + 1e-9), StringComparer.Ordinal);
        var remainder = total - targets.Values.Sum();
        foreach (var (group, _) in shares.OrderByDescending(s => s.Share - Math.Floor(s.Share + 1e-9)).ThenBy(s => s.Key, StringComparer.Ordinal).Take(remainder))
            targets[group]++;
        return targets;
    }

    // How many times each record of a group appears so that the group has `target` lines.
    static IEnumerable<(int Line, int Count)> Allocate(List<int> members, int target, IReadOnlyList<SplitLine> lines, int seed)
    {
        var ordered = members.OrderBy(l => Order(seed, lines[l].Id)).ThenBy(l => l).ToList();
        var each = target / ordered.Count;
        var extra = target % ordered.Count;
        for (var i = 0; i < ordered.Count; i++) yield return (ordered[i], each + (i < extra ? 1 : 0));
    }

    public static ulong Order(int seed, string key) => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(key), seed);
}
