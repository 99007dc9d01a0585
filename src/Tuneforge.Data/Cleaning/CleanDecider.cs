using System.IO.Hashing;
using System.Text;
using Tuneforge.Data.Cleaning.Dedupe;
using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Cleaning;

/// <summary>The decisions that depend on earlier records, made one record at a time in input order: the first of
/// exact or near duplicates is kept; the same prompt with another answer is a conflict (clean.on_conflict).
/// Every record it is given ends as exactly one kept line or one reject line.</summary>
internal sealed class CleanDecider(DataSpec data, CleanSpec clean, CleanOutputs outputs, NearDuplicateIndex? near, Review.ReviewImport? reviews = null)
{
    readonly Dictionary<UInt128, int> conversations = [];
    readonly Dictionary<UInt128, int> prompts = [];
    readonly HashSet<ulong> ids = [];

    // Per kept item (0, 1, 2 ... in clean.jsonl order).
    readonly List<string> keptIds = [];
    readonly List<int> keptChars = [];
    readonly List<int> keptTokens = [];
    readonly List<int> keptCategories = [];

    readonly Dictionary<string, int> categoryIds = new(StringComparer.Ordinal);
    readonly List<string> categories = [];
    readonly List<int> inputByCategory = [];
    readonly List<int> rejectedByCategory = [];
    readonly Dictionary<string, (int Count, string Example)> reasons = new(StringComparer.Ordinal);
    readonly List<(string File, int Records)> files = [];
    readonly int[] redactions = new int[Enum.GetValues<PiiKind>().Length];
    int input;
    int renamedIds;

    public ConflictBook Conflicts { get; } = new();

    /// <summary>Kept items whose prompt another kept item has too, with the first of them: Split keeps them together.</summary>
    public Dictionary<int, int> PromptGroups { get; } = [];

    public LshParameters? Lsh => near?.Parameters;

    /// <summary>Experts' corrections of records decided so far (data.reviews), to be decided after every source.</summary>
    public List<Reading.RawRecord> Corrections { get; } = [];

    public void Decide(PreparedRecord prepared)
    {
        if (prepared.FatalError is not null) throw new DataException(prepared.FatalError);
        CountInput(prepared);
        if (reviews is not null && prepared.Record is { } reviewed && reviews.Match(reviewed) is { Correction: not null } row)
        {
            Corrections.Add(reviews.Correction(reviewed, row));
            if (prepared.Reason is null)
            {
                Reject(prepared, new RejectEntry(RejectReason.SupersededByReview, $"an expert corrected its answer on {row.Where}; the correction trains instead.", reviewed.Source, prepared.Json));
                return;
            }
        }
        if (prepared.Reason is { } reason)
        {
            if (RejectReason.IsInvalidRecord(reason) && data.OnInvalidRecord == InvalidRecordPolicy.Fail)
                throw new DataException($"{prepared.Raw.Location}: unusable record ({reason}): {prepared.Detail} " +
                                        "data.on_invalid_record is fail; fix the record, or set it to reject to collect such records in rejects.jsonl.");
            Reject(prepared, new RejectEntry(reason, prepared.Detail!, prepared.Raw.Location, prepared.Json));
            return;
        }

        var record = prepared.Record!;
        if (clean.DedupeExact && conversations.TryGetValue(prepared.ConversationKey, out var original))
        {
            Reject(prepared, new RejectEntry(RejectReason.ExactDuplicate, $"the same conversation as '{keptIds[original]}' after normalization.", record.Source, prepared.Json)
                { DuplicateOf = keptIds[original] });
            return;
        }
        if (near is not null && near.FindDuplicate(prepared.Shingles!, prepared.BandKeys!) is var (item, similarity))
        {
            Reject(prepared, new RejectEntry(RejectReason.NearDuplicate,
                $"{similarity * 100:0}% of its character {clean.NearDedupe.Ngram}-grams are shared with '{keptIds[item]}' (clean.near_dedupe.threshold is {clean.NearDedupe.Threshold}).",
                record.Source, prepared.Json) { DuplicateOf = keptIds[item], Similarity = Math.Round(similarity, 4) });
            return;
        }
        if (!prompts.TryGetValue(prepared.PromptKey, out var first)) Keep(prepared, UniqueId(prepared));
        // The same prompt with the same answer is a repeat (kept when exact dedupe is off), not a conflict; preference
        // records share prompts by design (several pairs, good and bad answers): grouped, so Split keeps them together.
        else if (conversations.ContainsKey(prepared.ConversationKey) || record.IsPreference) Keep(prepared, UniqueId(prepared), samePromptAs: first);
        else OnConflict(prepared, record, first);
    }

    void OnConflict(PreparedRecord prepared, CanonicalRecord record, int first)
    {
        var group = Conflicts.GroupOf(first, keptIds[first]);
        group.Prompt ??= record.PromptMessages.LastOrDefault(m => m.Role == "user")?.Content;
        if (clean.OnConflict == ConflictPolicy.Report)
        {
            record = UniqueId(prepared);
            group.Others.Add(new ConflictMember(record.Id, record.Response, record.Source, Kept: true));
            Conflicts.ByKeptItem[keptIds.Count] = group;
            Keep(prepared, record, samePromptAs: first);
            return;
        }
        group.Others.Add(new ConflictMember(record.Id, record.Response, record.Source, Kept: false));
        if (clean.OnConflict == ConflictPolicy.Drop) Conflicts.DroppedItems.Add(first);
        var policy = clean.OnConflict == ConflictPolicy.Drop ? "drop: every record of the group is rejected" : "keep_first";
        Reject(prepared, new RejectEntry(RejectReason.ConflictingAnswer,
            $"the same prompt as '{keptIds[first]}' with a different answer (clean.on_conflict is {policy}).", record.Source, prepared.Json)
            { DuplicateOf = keptIds[first] });
    }

    void Keep(PreparedRecord prepared, CanonicalRecord record, int? samePromptAs = null)
    {
        var item = keptIds.Count;
        if (samePromptAs is { } first)
        {
            PromptGroups[first] = first;
            PromptGroups[item] = first;
        }
        keptIds.Add(record.Id);
        keptChars.Add(prepared.Chars);
        keptTokens.Add(prepared.Tokens);
        keptCategories.Add(categoryIds[record.Category]);
        conversations.TryAdd(prepared.ConversationKey, item);
        prompts.TryAdd(prepared.PromptKey, item);
        near?.Add(prepared.Shingles!, prepared.BandKeys!);
        outputs.WriteKept(prepared.Json.Span);
    }

    // Ids must be unique: duplicates and groups refer to records by id.
    CanonicalRecord UniqueId(PreparedRecord prepared)
    {
        var record = prepared.Record!;
        if (ids.Add(IdHash(record.Id))) return record;
        renamedIds++;
        record = record with { Id = $"{record.Id}@{record.Source}" };
        ids.Add(IdHash(record.Id));
        prepared.Record = record;
        prepared.Json = RecordJson.ToUtf8(record);
        return record;
    }

    static ulong IdHash(string id) => XxHash3.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes(id.AsSpan()));

    void CountInput(PreparedRecord prepared)
    {
        input++;
        var file = prepared.Raw.Location.File;
        if (files.Count == 0 || files[^1].File != file) files.Add((file, 0));
        files[^1] = (file, files[^1].Records + 1);
        if (prepared.Record is { } record)
        {
            if (!categoryIds.TryGetValue(record.Category, out var id))
            {
                id = categories.Count;
                categoryIds[record.Category] = id;
                categories.Add(record.Category);
                inputByCategory.Add(0);
                rejectedByCategory.Add(0);
            }
            inputByCategory[id]++;
        }
        if (prepared.Redactions is { } counts)
            for (var i = 0; i < counts.Length; i++) redactions[i] += counts[i];
    }

    void Reject(PreparedRecord prepared, RejectEntry entry)
    {
        CountReject(entry.Reason, entry.Source, prepared.Record?.Category);
        outputs.WriteReject(entry);
    }

    void CountReject(string reason, SourceLocation source, string? category)
    {
        reasons[reason] = reasons.TryGetValue(reason, out var known) ? (known.Count + 1, known.Example) : (1, source.ToString());
        if (category is not null) rejectedByCategory[categoryIds[category]]++;
    }

    /// <summary>Called by the outputs when a kept item becomes a reject at the end (on_conflict: drop).</summary>
    public void CountLateReject(int item, SourceLocation source)
    {
        CountReject(RejectReason.ConflictingAnswer, source, categories[keptCategories[item]]);
    }

    public string KeptId(int item) => keptIds[item];

    public CleanStats Statistics()
    {
        var dropped = Conflicts.DroppedItems;
        bool Kept(int item) => !dropped.Contains(item);
        var keptItems = Enumerable.Range(0, keptIds.Count).Where(Kept).ToList();
        var keptPerCategory = new int[categories.Count];
        foreach (var item in keptItems) keptPerCategory[keptCategories[item]]++;
        var rejected = reasons.Values.Sum(r => r.Count);
        return new CleanStats
        {
            Input = input,
            Kept = keptItems.Count,
            Rejected = rejected,
            Files = files,
            RejectedByReason = [.. reasons.OrderByDescending(r => r.Value.Count).ThenBy(r => r.Key, StringComparer.Ordinal)
                .Select(r => (r.Key, r.Value.Count, r.Value.Example))],
            ByCategory = [.. Enumerable.Range(0, categories.Count).OrderBy(i => categories[i], StringComparer.Ordinal)
                .Select(i => (categories[i], inputByCategory[i], keptPerCategory[i], rejectedByCategory[i]))],
            CharsOfKept = LengthDistribution.Of(keptItems.Select(i => keptChars[i])),
            TokensOfKept = keptItems.Count > 0 && keptTokens[keptItems[0]] >= 0 ? LengthDistribution.Of(keptItems.Select(i => keptTokens[i])) : null,
            Redactions = [.. Enum.GetValues<PiiKind>().Where(k => redactions[(int)k] > 0).Select(k => (k, redactions[(int)k]))],
            ConflictGroups = Conflicts.Count,
            ConflictRecords = Conflicts.Groups.Sum(g => 1 + g.Others.Count),
            RenamedIds = renamedIds,
        };
    }
}
