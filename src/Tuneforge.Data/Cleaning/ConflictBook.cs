using Tuneforge.Data.Records;

namespace Tuneforge.Data.Cleaning;

/// <summary>Groups of records with the same prompt and different answers, and what clean.on_conflict did to them.</summary>
internal sealed class ConflictBook
{
    readonly Dictionary<int, ConflictGroup> byFirstItem = [];

    /// <summary>Kept items that lead or belong to a group, with their group.</summary>
    public Dictionary<int, ConflictGroup> ByKeptItem { get; } = [];

    /// <summary>Kept items to move to the rejects at the end (the first of a group under on_conflict: drop).</summary>
    public HashSet<int> DroppedItems { get; } = [];

    public IEnumerable<ConflictGroup> Groups => byFirstItem.Values.OrderBy(g => g.FirstItem);

    public int Count => byFirstItem.Count;

    public ConflictGroup GroupOf(int firstItem, string firstId)
    {
        if (byFirstItem.TryGetValue(firstItem, out var group)) return group;
        group = new ConflictGroup(firstItem, firstId);
        byFirstItem[firstItem] = group;
        ByKeptItem[firstItem] = group;
        return group;
    }
}

/// <summary>One prompt with several answers: the first kept record and the others, kept or rejected.</summary>
internal sealed class ConflictGroup(int firstItem, string firstId)
{
    public int FirstItem { get; } = firstItem;
    public string FirstId { get; } = firstId;
    public string? Prompt { get; set; }

    /// <summary>The first record, filled in when the kept lines are finished.</summary>
    public ConflictMember? First { get; set; }

    /// <summary>The records after the first, in input order.</summary>
    public List<ConflictMember> Others { get; } = [];

    public IEnumerable<ConflictMember> Members => First is null ? Others : [First, .. Others];
}

/// <summary>A record of a conflict group and whether it stayed in clean.jsonl.</summary>
internal sealed record ConflictMember(string Id, string Answer, SourceLocation Source, bool Kept);
