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

    /// <summary>Per stratum, per part: the floor of its share, plus one for as many parts as the stratum's remainder
    /// needs, chosen among the parts with a fractional share. The choice goes to the parts whose fractional shares,
    /// summed over the strata so far, were given out least: so each stratum's count is within 1 of its share and
    /// the whole split's counts stay within about 1 of theirs.</summary>
    public static int[][] Targets(IReadOnlyList<int> strataSizes, IReadOnlyList<double> fractions)
    {
        var owed = new double[fractions.Count]; // fractional shares accumulated minus extras given
        var targets = new int[strataSizes.Count][];
        for (var s = 0; s < strataSizes.Count; s++)
        {
            var n = strataSizes[s];
            var shares = fractions.Select(f => n * f).ToArray();
            var counts = shares.Select(share => (int)Math.Floor(share + 1e-9)).ToArray();
            var fractional = shares.Select((share, p) => Math.Max(0, share - counts[p])).ToArray();
            for (var p = 0; p < owed.Length; p++) owed[p] += fractional[p];
            var remainder = n - counts.Sum();
            var chosen = Enumerable.Range(0, fractions.Count)
                .Where(p => fractional[p] > 1e-9)
                .OrderByDescending(p => Math.Round(owed[p], 9))
                .ThenByDescending(p => fractional[p])
                .ThenBy(p => p)
                .Take(remainder);
            foreach (var p in chosen)
            {
                counts[p]++;
                owed[p] -= 1;
            }
            targets[s] = counts;
        }
        return targets;
    }

    /// <summary>Puts a stratum's units into parts: in an order fixed by the seed (a hash of seed and key), the first units
    /// fill train up to its target, the next val, then test. With single records the targets are met exactly; a group
    /// may overshoot its part by its size. Adding records shifts only the records near the boundaries.</summary>
    public static void Assign(IReadOnlyList<SplitUnit> units, int[] targets, int seed, Action<SplitUnit, int> place)
    {
        var remaining = (int[])targets.Clone();
        var part = 0;
        foreach (var unit in units.OrderBy(u => Order(seed, u.Key)).ThenBy(u => u.Key, StringComparer.Ordinal))
        {
            while (part < remaining.Length - 1 && remaining[part] <= 0) part++;
            remaining[part] -= unit.Lines.Count;
            place(unit, part);
        }
    }

    // A seeded hash, not a shuffle: a record keeps its place when others are added or removed.
    static ulong Order(int seed, string key) => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(key), seed);
}
