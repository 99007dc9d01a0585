using System.Security.Cryptography;
using System.Text;

namespace Tuneforge.Hub.Download;

/// <summary>
/// Hashes a blob while it is written, so a resumed download is checked without reading it twice. The ETag says
/// which hash: 64 hex digits are an LFS file's SHA-256, 40 are a git blob id (SHA-1 of "blob {size}\0" + content);
/// any other ETag (some mirrors) is checked by size only.
/// </summary>
internal sealed class ContentVerifier : IDisposable
{
    private readonly string etag;
    private readonly long size;
    private IncrementalHash? hash;

    public ContentVerifier(string etag, long size)
    {
        this.etag = etag.ToLowerInvariant();
        this.size = size;
        Reset();
    }

    /// <summary>"SHA-256", "git blob id", or null when only the size is checked.</summary>
    public string? HashName => etag.Length switch { 64 when IsHex(etag) => "SHA-256", 40 when IsHex(etag) => "git blob id", _ => null };

    /// <summary>How many bytes from the start of the file have been hashed.</summary>
    public long HashedLength { get; private set; }

    public void Reset()
    {
        hash?.Dispose();
        HashedLength = 0;
        hash = HashName switch
        {
            "SHA-256" => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
            "git blob id" => IncrementalHash.CreateHash(HashAlgorithmName.SHA1),
            _ => null,
        };
        if (HashName == "git blob id")
            hash!.AppendData(Encoding.ASCII.GetBytes($"blob {size}\0"));
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        hash?.AppendData(data);
        HashedLength += data.Length;
    }

    /// <summary>Hashes what an earlier run left in the file beyond <see cref="HashedLength"/>.</summary>
    public async Task CatchUpAsync(FileStream file, CancellationToken cancellation)
    {
        if (file.Length == HashedLength)
            return;
        if (file.Length < HashedLength)
            Reset();
        var buffer = new byte[1 << 20];
        file.Position = HashedLength;
        int read;
        while ((read = await file.ReadAsync(buffer, cancellation).ConfigureAwait(false)) > 0)
            Append(buffer.AsSpan(0, read));
    }

    /// <summary>The lower-case hex digest, or null when only the size is checked.</summary>
    public string? Digest() => hash is null ? null : Convert.ToHexStringLower(hash.GetCurrentHash());

    public string Expected => etag;

    public void Dispose() => hash?.Dispose();

    private static bool IsHex(string text) => text.All(Uri.IsHexDigit);
}
