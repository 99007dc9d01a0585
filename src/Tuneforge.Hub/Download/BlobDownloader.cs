using System.Buffers;
using System.Net;

namespace Tuneforge.Hub.Download;

/// <summary>
/// Downloads one blob into its <c>.incomplete</c> file, continuing from where the file ends with an HTTP Range
/// request; a later run or a retry after a dropped connection resumes instead of starting over.
/// </summary>
internal sealed class BlobDownloader(HubHttp http, HubClientOptions options)
{
    private const int ChunkSize = 1 << 20;

    /// <summary>Bytes received from the network, over all calls.</summary>
    public long NetworkBytes { get; private set; }

    /// <summary>
    /// One attempt: completes <paramref name="file"/> up to the announced size. A dropped or stalled connection
    /// throws <see cref="TransientHubFailure"/>, leaving what arrived in the file for the next attempt.
    /// </summary>
    public async Task ContinueAsync(
        FileStream file, ContentVerifier verifier, FileMetadata metadata, RequestContext context,
        Action<long> onFileBytes, CancellationToken cancellation)
    {
        await verifier.CatchUpAsync(file, cancellation).ConfigureAwait(false);
        var offset = file.Length;
        if (offset > metadata.Size)
            offset = Restart(file, verifier);
        if (offset == metadata.Size)
            return;

        using var response = await http.GetFileAsync(metadata.DownloadUrl, offset, context, cancellation).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            Restart(file, verifier);
            throw HubErrors.Network(metadata.DownloadUrl, "the server refused to resume the partial download", context, null);
        }
        if (offset > 0 && response.StatusCode != HttpStatusCode.PartialContent)
            offset = Restart(file, verifier); // The server ignored Range and sends the whole file.
        else if (offset > 0 && response.Content.Headers.ContentRange?.From != offset)
        {
            Restart(file, verifier);
            throw HubErrors.Network(metadata.DownloadUrl, $"the server resumed at byte {response.Content.Headers.ContentRange?.From} instead of {offset}", context, null);
        }

        file.Position = offset;
        onFileBytes(offset);
        Stream body;
        try
        {
            body = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw HubErrors.Network(metadata.DownloadUrl, "connection dropped before the first byte", context, e);
        }
        await using (body.ConfigureAwait(false))
            await CopyAsync(body, file, verifier, metadata, context, onFileBytes, cancellation).ConfigureAwait(false);

        if (file.Length < metadata.Size)
            throw HubErrors.Network(metadata.DownloadUrl,
                $"connection closed after {file.Length} of {metadata.Size} bytes of '{context.File}'", context, null);
    }

    private async Task CopyAsync(
        Stream body, FileStream file, ContentVerifier verifier, FileMetadata metadata, RequestContext context,
        Action<long> onFileBytes, CancellationToken cancellation)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        try
        {
            while (true)
            {
                int read;
                stall.CancelAfter(options.ReadTimeout);
                try
                {
                    read = await body.ReadAsync(buffer.AsMemory(0, ChunkSize), stall.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException e) when (!cancellation.IsCancellationRequested)
                {
                    throw HubErrors.Network(metadata.DownloadUrl,
                        $"no data for {options.ReadTimeout.TotalSeconds:0.#} s after {file.Length} of {metadata.Size} bytes of '{context.File}'", context, e);
                }
                catch (Exception e) when (e is IOException or HttpRequestException)
                {
                    throw HubErrors.Network(metadata.DownloadUrl,
                        $"connection dropped after {file.Length} of {metadata.Size} bytes of '{context.File}'", context, e);
                }
                if (!stall.TryReset())
                    throw new OperationCanceledException(cancellation);
                if (read == 0)
                    return;

                await WriteAsync(file, buffer.AsMemory(0, read), metadata, context, cancellation).ConfigureAwait(false);
                verifier.Append(buffer.AsSpan(0, read));
                NetworkBytes += read;
                onFileBytes(file.Length);
                if (file.Length > metadata.Size)
                    return; // Too long: the caller reports the size mismatch.
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task WriteAsync(FileStream file, ReadOnlyMemory<byte> data, FileMetadata metadata, RequestContext context, CancellationToken cancellation)
    {
        try
        {
            await file.WriteAsync(data, cancellation).ConfigureAwait(false);
        }
        catch (IOException e) when (DiskSpace.IsDiskFull(e))
        {
            var folder = Path.GetDirectoryName(file.Name);
            throw new HubException(HubErrorKind.DiskFull,
                $"The disk is full: writing '{context.File}' of {context.RepoId} into {folder} failed after {file.Length} of {metadata.Size} bytes. " +
                $"Free at least {DiskSpace.Format(metadata.Size - file.Length)} or point HF_HUB_CACHE at a larger disk; " +
                "the partial download is kept and resumes on the next run.", e);
        }
    }

    private static long Restart(FileStream file, ContentVerifier verifier)
    {
        file.SetLength(0);
        verifier.Reset();
        return 0;
    }
}
