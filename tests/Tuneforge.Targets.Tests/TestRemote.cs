using Amazon.S3;
using Amazon.S3.Model;

namespace Tuneforge.Targets.Tests;

/// <summary>A fresh, empty remote cache of one kind for one test (its own folder, URL path or S3 prefix), the build
/// arguments and environment that point a build at it, and direct access to its objects to damage them.</summary>
public sealed class TestRemote : IDisposable
{
    readonly string kind;
    readonly string location;
    readonly AmazonS3Client? s3;
    readonly HttpClient? http;

    public TestRemote(string kind, RemoteServers servers, TempRoot scratch)
    {
        this.kind = kind;
        var name = Guid.NewGuid().ToString("N");
        switch (kind)
        {
            case "file":
                location = scratch.File($"remote-{name}");
                Arguments = ["--cache-remote", new Uri(location).AbsoluteUri];
                break;
            case "http":
                var web = servers.Ensure("http");
                location = Path.Combine(web["root"], name);
                Arguments = ["--cache-remote", $"{web["endpoint"]}/{name}"];
                http = new HttpClient { BaseAddress = new Uri($"{web["endpoint"]}/{name}/") };
                break;
            case "s3":
                var swift = servers.Ensure("s3");
                location = name;
                Secret = swift["secret_key"];
                Arguments = ["--cache-remote", $"s3://{RemoteServers.Bucket}/{name}", "--cache-remote-endpoint", swift["endpoint"]];
                Environment["AWS_ACCESS_KEY_ID"] = swift["access_key"];
                Environment["AWS_SECRET_ACCESS_KEY"] = swift["secret_key"];
                s3 = RemoteServers.S3Client(swift);
                break;
            default:
                throw new ArgumentException(kind);
        }
    }

    public string[] Arguments { get; }
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>The secret a build uses for this remote (S3 only).</summary>
    public string? Secret { get; }

    public byte[]? Read(string key)
    {
        switch (kind)
        {
            case "s3":
                try
                {
                    using var response = s3!.GetObjectAsync(RemoteServers.Bucket, $"{location}/{key}").GetAwaiter().GetResult();
                    using var copy = new MemoryStream();
                    response.ResponseStream.CopyTo(copy);
                    return copy.ToArray();
                }
                catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey")
                {
                    return null;
                }
            default:
                var path = Path.Combine(location, key);
                return File.Exists(path) ? File.ReadAllBytes(path) : null;
        }
    }

    public void Write(string key, byte[] content)
    {
        switch (kind)
        {
            case "s3":
                s3!.PutObjectAsync(new PutObjectRequest { BucketName = RemoteServers.Bucket, Key = $"{location}/{key}", InputStream = new MemoryStream(content), UseChunkEncoding = false })
                    .GetAwaiter().GetResult();
                break;
            case "http":
                http!.PutAsync(key, new ByteArrayContent(content)).GetAwaiter().GetResult().EnsureSuccessStatusCode();
                break;
            default:
                File.WriteAllBytes(Path.Combine(location, key), content);
                break;
        }
    }

    /// <summary>Every object's key ("ac/…", "cas/…").</summary>
    public IReadOnlyList<string> Keys()
    {
        if (kind == "s3")
        {
            var listing = s3!.ListObjectsV2Async(new ListObjectsV2Request { BucketName = RemoteServers.Bucket, Prefix = location + "/" }).GetAwaiter().GetResult();
            return (listing.S3Objects ?? []).Select(o => o.Key[(location.Length + 1)..]).Order(StringComparer.Ordinal).ToList();
        }
        return Directory.Exists(location)
            ? Directory.EnumerateFiles(location, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(location, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList()
            : [];
    }

    public void Dispose()
    {
        s3?.Dispose();
        http?.Dispose();
    }
}
