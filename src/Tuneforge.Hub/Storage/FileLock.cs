using Tuneforge.Hub.Download;

namespace Tuneforge.Hub.Storage;

/// <summary>
/// An exclusive lock between processes on a lock file (.NET takes an flock on Unix for FileShare.None), so two
/// builds never write the same blob at once. The file stays, as huggingface_hub leaves its .lock files.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private readonly FileStream stream;

    private FileLock(FileStream stream) => this.stream = stream;

    public static async Task<FileLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellation)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellation).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new HubException(HubErrorKind.Busy,
                    $"Another process has held the download lock {path} for {timeout.TotalMinutes:0.#} minutes. " +
                    "Wait for the other download to finish; if none is running, delete that file.", e);
            }
        }
    }

    public void Dispose() => stream.Dispose();
}
