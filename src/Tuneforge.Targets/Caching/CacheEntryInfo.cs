namespace Tuneforge.Targets;

/// <summary>Stored beside a committed entry: what went into its key and what the target reported.</summary>
public sealed record CacheEntryInfo(
    string Target,
    string Key,
    DateTimeOffset Created,
    IReadOnlyList<string> Inputs,
    IReadOnlyDictionary<string, string> Summary)
{
    public const string FileName = ".tuneforge-entry.json";
}
