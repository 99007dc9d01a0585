using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Splitting;

/// <summary>What split.json says: the settings, counts per part, per category, stratum and source, the groups, and
/// what balancing and mixing did to the train part.</summary>
internal sealed record SplitSummary(SplitSpec Spec, int[] Totals, List<(string Stratum, int[] Counts)> ByStratum,
    List<(string Category, int[] Counts)> ByCategory, List<(string Source, int[] Counts)> BySource,
    int Units, int MultiRecordUnits, int LargestUnit, int Reviewed, BalanceStats? Balance, IReadOnlyList<MixSourceStats>? Mix, MixStrategy MixStrategy);
