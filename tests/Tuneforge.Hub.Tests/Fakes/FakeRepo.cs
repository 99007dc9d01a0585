using System.Security.Cryptography;
using System.Text;

namespace Tuneforge.Hub.Tests.Fakes;

/// <summary>A file of a fake repository; LFS files are served through the fake CDN, as on the Hub.</summary>
public sealed record FakeFile(string Path, byte[] Content, bool Lfs)
{
    public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(Content));

    // The git blob id: what the Hub sends as ETag for a file stored in git.
    public string GitOid { get; } = Convert.ToHexStringLower(SHA1.HashData(
        [.. Encoding.ASCII.GetBytes($"blob {Content.Length}\0"), .. Content]));

    public string Etag => Lfs ? Sha256 : GitOid;
}

/// <summary>A repository of the fake Hub: commits with files, branches and tags pointing at commits.</summary>
public sealed class FakeRepo(string id)
{
    public string Id { get; } = id;
    public Dictionary<string, string> Refs { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Dictionary<string, FakeFile>> Commits { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, requests must carry this token.</summary>
    public string? Token { get; set; }

    /// <summary>Gated: a valid token whose owner has not accepted the license gets 403.</summary>
    public bool GatedNotAccepted { get; set; }

    public FakeRepo AddCommit(string commit, IEnumerable<FakeFile> files, params string[] refs)
    {
        Commits[commit] = files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        foreach (var name in refs)
            Refs[name] = commit;
        return this;
    }

    public string? Resolve(string revision) =>
        Commits.ContainsKey(revision) ? revision : Refs.GetValueOrDefault(revision);
}
