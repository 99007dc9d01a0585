using System.Text.Json.Serialization;

namespace Tuneforge.Targets;

/// <summary>One file of a cache entry as it was when the entry was committed. <see cref="Path"/> is relative to the
/// entry, with '/' separators.</summary>
public sealed record EntryFile(string Path, long Size, string Sha256)
{
    /// <summary>The file's modification time on this machine (UTC ticks) when committed; a remote manifest has none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ModifiedTicks { get; init; }
}
