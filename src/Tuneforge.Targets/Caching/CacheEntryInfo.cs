namespace Tuneforge.Targets;

/// <summary>Stored beside a committed entry: what went into its key, what the target reported, and every file of the
/// entry (path, size, SHA-256, modification time) so a hit can check that it is what was written.</summary>
public sealed record CacheEntryInfo(
    string Target,
    string Key,
    DateTimeOffset Created,
    IReadOnlyList<string> Inputs,
    IReadOnlyDictionary<string, string> Summary,
    IReadOnlyList<EntryFile>? Files = null)
{
    public const string FileName = ".tuneforge-entry.json";
}
