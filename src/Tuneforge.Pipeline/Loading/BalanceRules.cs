using System.Globalization;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Pipeline.Loading;

/// <summary>split.balance asks for a cap and/or a floor, or for target proportions, never both kinds.</summary>
internal static class BalanceRules
{
    public static void Check(BalanceSpec balance, Action<string, string> fail)
    {
        var proportions = balance.Proportions;
        if (proportions.Count == 0 && balance.MaxPerGroup is null && balance.MinPerGroup is null)
        {
            fail("split.balance", "says nothing to do: set max_per_group (cap), min_per_group (floor), or proportions.");
            return;
        }
        if (balance.MinPerGroup > balance.MaxPerGroup)
            fail("split.balance.min_per_group", $"is larger than max_per_group ({balance.MinPerGroup} > {balance.MaxPerGroup}).");
        if (proportions.Count == 0) return;
        if (balance.MaxPerGroup is not null || balance.MinPerGroup is not null)
            fail("split.balance.proportions", "cannot be combined with max_per_group or min_per_group: proportions fix every group's size already.");
        foreach (var (group, share) in proportions)
            if (share is <= 0 or > 1) fail($"split.balance.proportions.{group}", $"must be > 0 and <= 1 (got {share.ToString(CultureInfo.InvariantCulture)}).");
        var sum = proportions.Values.Sum();
        if (Math.Abs(sum - 1) > 1e-6)
            fail("split.balance.proportions", $"must sum to 1 ({string.Join(" + ", proportions.Values.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture)))} = {sum.ToString("0.######", CultureInfo.InvariantCulture)}).");
    }
}
