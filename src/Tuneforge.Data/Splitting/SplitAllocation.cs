using System.IO.Hashing;
using System.Text;

namespace Tuneforge.Data.Splitting;

/// <summary>Records that must go to the same part: a group from Clean (same prompt, different answers) or one record.</summary>
internal sealed record SplitUnit(string Key, string Stratum, List<int> Lines);

/// <summary>How many records of each stratum go to each part, and which units they are.</summary>
internal static class SplitAllocation
{
    /// <summary>The fewest records with which every part of a positive fraction gets at least one.</summary>
    public static int MinimumRecords(IReadOnlyList<double> fractions) =>
        fractions.Where(f => f > 0).Max(f => (int)Math.Ceiling(1 / f - 1e-9));

    /// <summary>Per stratum, per part: the floor of its share, plus one for as many parts as the remainder needs,
    /// chosen among the parts with a fractional share by the largest shortfall of the whole split so far.
    /// So each stratum's count is within 1 of its share, and the totals stay close to theirs.</summary>
    public static int[][] Targets(IReadOnlyList<int> strataSizes, IReadOnlyList<double> fractions)
    {
        var total = strataSizes.Sum();
        var assigned = new double[fractions.Count];
        var targets = new int[strataSizes.Count][];
        for (var s = 0; s < strataSizes.Count; s++)
        {
            var n = strataSizes[s];
            var shares = fractions.Select(f => n * f).ToArray();
            var counts = shares.Select(share => (int)Math.Floor(share + 1e-9)).ToArray();
            var remainder = n - counts.Sum();
            var candidates = Enumerable.Range(0, fractions.Count)
                .Where(p => shares[p] - counts[p] > 1e-9)
                .OrderByDescending(p => total * fractions[p] - assigned[p] - counts[p])
                .ThenByDescending(p => shares[p] - counts[p])
                .ThenBy(p => p)
                .Take(remainder);
            foreach (var p in candidates) counts[p]++;
            for (var p = 0; p < counts.Length; p++) assigned[p] += counts[p];
            targets[s] = counts;
        }
        return targets;
    }

    /// <summary>Puts a stratum's units into parts: in an order fixed by the seed, each unit goes to the part that is
    /// furthest below its target. With single records the targets are met exactly; a group may overshoot by its size.</summary>
    public static void Assign(IReadOnlyList<SplitUnit> units, int[] targets, int seed, Action<SplitUnit, int> place)
    {
        var remaining = (int[])targets.Clone();
        foreach (var unit in units.OrderBy(u => Order(seed, u.Key)).ThenBy(u => u.Key, StringComparer.Ordinal))
        {
            var part = 0;
            for (var p = 1; p < remaining.Length; p++)
                if (remaining[p] > remaining[part]) part = p;
            remaining[part] -= unit.Lines.Count;
            place(unit, part);
        }
    }

    // A seeded hash, not a shuffle: a record keeps its place when others are added or removed.
    static ulong Order(int seed, string key) => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(key), seed);
}
