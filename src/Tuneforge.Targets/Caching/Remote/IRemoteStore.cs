namespace Tuneforge.Targets;

/// <summary>A flat store of objects by key ("cas/&lt;sha256&gt;", "ac/&lt;cache key&gt;"): S3, a Bazel-style HTTP cache or a
/// folder. Failures that are not "absent" throw <see cref="RemoteStoreException"/> with a message a user can act on.</summary>
public interface IRemoteStore : IDisposable
{
    /// <summary>Where it is, without credentials: shown in the log.</summary>
    string Description { get; }

    /// <summary>The object's size (-1 when the store does not say), or null when it does not exist.</summary>
    Task<long?> SizeAsync(string key, CancellationToken cancellation);

    /// <summary>Copies the object into <paramref name="destination"/>; false when it does not exist.</summary>
    Task<bool> DownloadAsync(string key, Stream destination, CancellationToken cancellation);

    /// <summary>Stores a file under the key, replacing an existing object; readers see the old or the whole new one.</summary>
    Task UploadFileAsync(string key, string path, CancellationToken cancellation);

    Task UploadAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellation);
}

/// <summary>The remote cache cannot be used (refused credentials, unreachable, no such bucket): the build warns and goes
/// on with its local cache.</summary>
public sealed class RemoteStoreException(string message, Exception? inner = null) : Exception(message, inner);
