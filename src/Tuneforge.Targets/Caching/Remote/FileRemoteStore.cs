using Tuneforge.Files;

namespace Tuneforge.Targets;

/// <summary>A remote cache in a folder (file:///path): a shared disk, or a network mount.</summary>
public sealed class FileRemoteStore(string root) : IRemoteStore
{
    public string Description => new Uri(Path.GetFullPath(root)).AbsoluteUri;

    string PathOf(string key) => Path.Combine(root, key);

    public Task<long?> SizeAsync(string key, CancellationToken cancellation) =>
        Task.FromResult(File.Exists(PathOf(key)) ? new FileInfo(PathOf(key)).Length : (long?)null);

    public async Task<bool> DownloadAsync(string key, Stream destination, CancellationToken cancellation)
    {
        FileStream source;
        try
        {
            source = new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new RemoteStoreException($"cannot read {key} from {Description}: {e.Message}", e);
        }
        await using (source) await source.CopyToAsync(destination, cancellation);
        return true;
    }

    public Task UploadFileAsync(string key, string path, CancellationToken cancellation) => Place(key, stream =>
    {
        using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        source.CopyTo(stream);
    });

    public Task UploadAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellation) => Place(key, stream => stream.Write(content.Span));

    // Written beside its place, then renamed: a reader never opens half an object.
    Task Place(string key, Action<Stream> write)
    {
        try
        {
            AtomicFile.Write(PathOf(key), write);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new RemoteStoreException($"cannot write {key} to {Description}: {e.Message}", e);
        }
        return Task.CompletedTask;
    }

    public void Dispose() { }
}
