using System.Text;

namespace Tuneforge.Stages.Distributed;

/// <summary>
/// Follows the events rank 0 appends to &lt;out&gt;/events.jsonl, for launchers whose worker's stdout is elsewhere
/// (a Slurm job's output file, a pod's log): every whole line written after the tail started, in order, once.
/// </summary>
public sealed class EventsFileTail : IAsyncDisposable
{
    static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    readonly string path;
    readonly Action<string> onLine;
    readonly CancellationTokenSource stop = new();
    readonly Task polling;
    long offset;
    readonly List<byte> partial = [];

    /// <summary>Starts at the file's current end: lines of an earlier attempt (a resumed run appends) are not this run's.</summary>
    public EventsFileTail(string path, Action<string> onLine)
    {
        this.path = path;
        this.onLine = onLine;
        offset = File.Exists(path) ? new FileInfo(path).Length : 0;
        polling = PollAsync();
    }

    async Task PollAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            ReadNewLines();
            try
            {
                await Task.Delay(Interval, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    void ReadNewLines()
    {
        if (!File.Exists(path)) return;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length < offset) offset = 0; // replaced by a new file
        stream.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            offset += read;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    partial.Add(buffer[i]);
                    continue;
                }
                onLine(Encoding.UTF8.GetString([.. partial]).TrimEnd('\r'));
                partial.Clear();
            }
        }
    }

    /// <summary>Stops following after reading what the file holds now (the worker has ended: its last lines are there).</summary>
    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        await polling;
        ReadNewLines();
        stop.Dispose();
    }
}
