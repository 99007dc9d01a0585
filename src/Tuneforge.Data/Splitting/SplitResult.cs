using System.Globalization;

namespace Tuneforge.Data.Splitting;

/// <summary>Records per part (train, val, test) and per category; the files are in <paramref name="OutputDirectory"/>.</summary>
public sealed record SplitResult(IReadOnlyDictionary<string, int> Counts, IReadOnlyList<(string Category, int[] Counts)> ByCategory,
    int Units, int LargestUnit, string OutputDirectory)
{
    public int Train => Counts["train"];
    public int Val => Counts["val"];
    public int Test => Counts["test"];

    /// <summary>What split.balance did to the train part; null when it is off.</summary>
    public BalanceStats? Balance { get; init; }

    /// <summary>What each source gave the train part with data.mix; null without data.mix.</summary>
    public IReadOnlyList<MixSourceStats>? Mix { get; init; }

    /// <summary>Lines per part by source (the data.mix name, else the file).</summary>
    public IReadOnlyList<(string Source, int[] Counts)> BySource { get; init; } = [];

    /// <summary>Reviewed records the seed had put in val or test, moved to train.</summary>
    public int Reviewed { get; init; }

    /// <summary>The build's summary line: parts, then balance (train before → after) and mix (lines per source).</summary>
    public IReadOnlyList<(string Key, string Value)> SummaryPairs()
    {
        var pairs = new List<(string, string)> { ("train", Train.ToString(CultureInfo.InvariantCulture)), ("val", Val.ToString(CultureInfo.InvariantCulture)), ("test", Test.ToString(CultureInfo.InvariantCulture)) };
        if (Balance is { } balance) pairs.Add(("balanced", $"{balance.Before} → {balance.After} train ({balance.By})"));
        if (Mix is { } mix) pairs.Add(("mix", string.Join(" + ", mix.Select(s => $"{s.Name} {s.Taken}"))));
        return pairs;
    }
}
