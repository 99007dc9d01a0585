using System.Text.Json.Nodes;

namespace Tuneforge.Data.Pretraining;

/// <summary>A corpus ready to train on: packed sequences of the trained and the held-out documents, the held-out
/// documents themselves, and what each source contributed.</summary>
public sealed record PreparedCorpus(
    IReadOnlyList<int[]> TrainSequences,
    IReadOnlyList<int[]> HeldOutSequences,
    IReadOnlyList<CorpusDocument> HeldOutDocuments,
    IReadOnlyList<SourceCount> Sources,
    IReadOnlyDictionary<string, (long Train, long HeldOut)> TokensBySource,
    int TrainDocuments)
{
    /// <summary>Stream tokens (documents and their EOS) of each part; BOS tokens are not counted.</summary>
    public long TrainTokens => TokensBySource.Values.Sum(t => t.Train);
    public long HeldOutTokens => TokensBySource.Values.Sum(t => t.HeldOut);

    public JsonObject Summary() => new()
    {
        ["train_documents"] = TrainDocuments,
        ["heldout_documents"] = HeldOutDocuments.Count,
        ["train_tokens"] = TrainTokens,
        ["heldout_tokens"] = HeldOutTokens,
        ["train_sequences"] = TrainSequences.Count,
        ["heldout_sequences"] = HeldOutSequences.Count,
        ["sources"] = new JsonArray(Sources.Select(s => (JsonNode)new JsonObject
        {
            ["name"] = s.Name,
            ["language"] = s.Language,
            ["files"] = s.Files,
            ["documents"] = s.Documents,
            ["characters"] = s.Characters,
            ["too_short"] = s.TooShort,
            ["duplicates"] = s.Duplicates,
            ["train_tokens"] = TokensBySource.TryGetValue(s.Name, out var t) ? t.Train : 0,
            ["heldout_tokens"] = TokensBySource.TryGetValue(s.Name, out var h) ? h.HeldOut : 0,
        }).ToArray()),
    };
}
