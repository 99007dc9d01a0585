using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tuneforge.Targets;

/// <summary>An entry's manifest on the remote (ac/&lt;key&gt;): the local info without this machine's modification times.
/// A downloaded one is checked before any of its paths is used, as input from anywhere would be.</summary>
internal static partial class RemoteManifest
{
    /// <summary>Larger than any real manifest; a bigger object is not read into memory.</summary>
    public const long MaxSize = 64 << 20;

    public static byte[] Serialize(CacheEntryInfo info) =>
        JsonSerializer.SerializeToUtf8Bytes(info with { Files = info.Files!.Select(f => f with { ModifiedTicks = null }).ToList() });

    public static CacheEntryInfo Parse(ReadOnlySpan<byte> content, CacheKey key)
    {
        CacheEntryInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<CacheEntryInfo>(content);
        }
        catch (JsonException e)
        {
            throw new RemoteEntryDamagedException($"its manifest is not valid JSON ({e.Message})");
        }
        if (info is null || info.Files is null || info.Summary is null || info.Inputs is null) throw new RemoteEntryDamagedException("its manifest lacks the entry's files");
        if (info.Target != key.Target || info.Key != key.Hash) throw new RemoteEntryDamagedException($"its manifest describes {info.Target} {info.Key}");
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in info.Files)
        {
            if (!IsSafePath(file.Path) || !paths.Add(file.Path)) throw new RemoteEntryDamagedException($"its manifest lists the path '{file.Path}', which an entry cannot hold");
            if (!Sha256Pattern().IsMatch(file.Sha256 ?? "") || file.Size < 0) throw new RemoteEntryDamagedException($"its manifest gives {file.Path} no valid size and SHA-256");
        }
        return info;
    }

    // Relative, '/'-separated, no '.' or '..' segment, not the info file: nothing outside the entry folder.
    static bool IsSafePath(string? path) =>
        !string.IsNullOrEmpty(path) && !path.Contains('\\') && !path.Contains('\0') && !Path.IsPathRooted(path)
        && path.Split('/').All(segment => segment is not ("" or "." or ".."))
        && !path.StartsWith(CacheEntryInfo.FileName, StringComparison.Ordinal);

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();
}
