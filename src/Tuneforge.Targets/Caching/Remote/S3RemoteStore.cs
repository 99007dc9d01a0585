using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Tuneforge.Targets;

/// <summary>A remote cache in an S3 bucket (s3://bucket/prefix), on AWS or any S3-compatible store (Swift, MinIO, Ceph):
/// objects &lt;prefix&gt;/cas/&lt;sha256&gt; and &lt;prefix&gt;/ac/&lt;key&gt;. Files above <see cref="PartSize"/> go up in parts.</summary>
public sealed class S3RemoteStore(AmazonS3Client client, string bucket, string prefix, string? endpoint, bool chunkedEncoding) : IRemoteStore
{
    /// <summary>Multipart part size; S3 allows 10,000 parts of at least 5 MiB (but the last).</summary>
    public long PartSize { get; init; } = 64L << 20;

    public string Description => $"s3://{bucket}/{prefix}".TrimEnd('/') + (endpoint is null ? "" : $" at {endpoint}");

    string ObjectKey(string key) => prefix.Length == 0 ? key : $"{prefix.TrimEnd('/')}/{key}";

    public Task<long?> SizeAsync(string key, CancellationToken cancellation) => Guard("HEAD", key, async () =>
    {
        try
        {
            var metadata = await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = ObjectKey(key) }, cancellation);
            return (long?)metadata.ContentLength;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode is null or "NotFound" or "NoSuchKey")
        {
            return null;
        }
    });

    public Task<bool> DownloadAsync(string key, Stream destination, CancellationToken cancellation) => Guard("GET", key, async () =>
    {
        GetObjectResponse response;
        try
        {
            response = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = ObjectKey(key) }, cancellation);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey")
        {
            return false;
        }
        using (response) await response.ResponseStream.CopyToAsync(destination, cancellation);
        return true;
    });

    public Task UploadFileAsync(string key, string path, CancellationToken cancellation) => Guard("PUT", key, async () =>
    {
        var length = new FileInfo(path).Length;
        if (length <= PartSize)
            await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = ObjectKey(key), FilePath = path, UseChunkEncoding = chunkedEncoding }, cancellation);
        else
            await UploadPartsAsync(ObjectKey(key), path, length, cancellation);
        return true;
    });

    public Task UploadAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellation) => Guard("PUT", key, async () =>
    {
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = ObjectKey(key), InputStream = stream, UseChunkEncoding = chunkedEncoding }, cancellation);
        return true;
    });

    async Task UploadPartsAsync(string objectKey, string path, long length, CancellationToken cancellation)
    {
        var upload = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = objectKey }, cancellation);
        try
        {
            var parts = new List<PartETag>();
            for (var (number, position) = (1, 0L); position < length; number++, position += PartSize)
            {
                var part = await client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = bucket, Key = objectKey, UploadId = upload.UploadId, PartNumber = number,
                    FilePath = path, FilePosition = position, PartSize = Math.Min(PartSize, length - position),
                    UseChunkEncoding = chunkedEncoding,
                }, cancellation);
                parts.Add(new PartETag(number, part.ETag));
            }
            await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket, Key = objectKey, UploadId = upload.UploadId, PartETags = parts,
            }, cancellation);
        }
        catch
        {
            // Parts of an abandoned upload cost storage until aborted.
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = objectKey, UploadId = upload.UploadId }, CancellationToken.None);
            throw;
        }
    }

    async Task<T> Guard<T>(string method, string key, Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            throw new RemoteStoreException($"{Description} refused the credentials ({method} {key}: {(int)e.StatusCode} {e.ErrorCode ?? "AccessDenied"}). " +
                "Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, and the bucket's permissions", e);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
        {
            throw new RemoteStoreException($"{Description}: the bucket '{bucket}' does not exist; create it, or fix --cache-remote", e);
        }
        catch (AmazonS3Exception e)
        {
            throw new RemoteStoreException($"{Description} answered {method} {key} with {(int)e.StatusCode} {e.ErrorCode}", e);
        }
        catch (AmazonServiceException e)
        {
            throw new RemoteStoreException($"{Description} answered {method} {key} with {(int)e.StatusCode} {e.ErrorCode}: {Shorten(e.Message)}", e);
        }
        catch (AmazonClientException e)
        {
            throw new RemoteStoreException($"{Description} cannot be used ({method} {key}): {Shorten(e.Message)}", e);
        }
        catch (HttpRequestException e)
        {
            throw new RemoteStoreException($"cannot reach {Description} ({method} {key}): {e.Message}", e);
        }
    }

    static string Shorten(string text) => text.Split('\n')[0].Trim();

    public void Dispose() => client.Dispose();
}
