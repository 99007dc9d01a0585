using System.Security.Cryptography;

namespace Tuneforge.Targets;

/// <summary>Writes a downloaded blob through to its file while hashing it, and stops a blob that grows past the size its
/// manifest gives (a damaged or hostile remote cannot fill the disk).</summary>
internal sealed class VerifyingStream(Stream inner, long expectedSize) : Stream
{
    readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public override long Length => length;
    long length;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Grow(buffer.Length);
        hash.AppendData(buffer);
        inner.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellation = default)
    {
        Grow(buffer.Length);
        hash.AppendData(buffer.Span);
        await inner.WriteAsync(buffer, cancellation);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellation) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellation).AsTask();

    void Grow(int count)
    {
        length += count;
        if (length > expectedSize) throw new RemoteEntryDamagedException($"it has more than the {expectedSize} bytes expected");
    }

    /// <summary>The SHA-256 of what was written.</summary>
    public string Sha256() => Convert.ToHexStringLower(hash.GetHashAndReset());

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Position { get => length; set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellation) => inner.FlushAsync(cancellation);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) hash.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>A remote entry whose manifest or blob does not check: it is not used, and a read-write build replaces it.</summary>
internal sealed class RemoteEntryDamagedException(string message) : Exception(message);
