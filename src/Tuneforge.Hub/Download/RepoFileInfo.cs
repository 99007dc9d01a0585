namespace Tuneforge.Hub.Download;

/// <summary>One file of a repository at a commit, as the Hub lists it (sizes and hashes when it gives them).</summary>
/// <param name="Path">The path inside the repository, with '/' separators.</param>
/// <param name="Size">The file's size as the Hub lists it, if known.</param>
/// <param name="BlobId">The git blob id, if known.</param>
/// <param name="LfsSha256">The SHA-256 of an LFS file's content (also its ETag and blob name).</param>
/// <param name="LfsSize">The size of an LFS file's content.</param>
public sealed record RepoFileInfo(string Path, long? Size, string? BlobId, string? LfsSha256, long? LfsSize)
{
    /// <summary>The size of the content that will be downloaded, if known.</summary>
    public long? ContentSize => LfsSize ?? Size;

    /// <summary>True when the Hub gave enough to cache the listing (huggingface_hub's tree cache needs size and blob id).</summary>
    public bool IsComplete => Size is not null && BlobId is not null;
}
