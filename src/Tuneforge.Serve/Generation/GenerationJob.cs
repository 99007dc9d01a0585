using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace Tuneforge.Serve.Generation;

/// <summary>
/// One request's generation, shared by the HTTP handler (which reads <see cref="Text"/> and awaits
/// <see cref="Completion"/>) and a backend's scheduler (which reports each token). Stop strings, max_tokens and the
/// timings are handled here, so every backend behaves the same.
/// </summary>
public sealed class GenerationJob
{
    private readonly Channel<string> _text = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly TaskCompletionSource<GenerationResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder _written = new();
    private readonly List<int> _tokenIds = [];
    private readonly StopStringMatcher _stops;
    private readonly long _submitted = Stopwatch.GetTimestamp();
    private long _started;
    private long _firstToken;
    private int _finished;

    public GenerationJob(PreparedPrompt prompt, SamplingSettings sampling, CancellationToken cancellation)
    {
        if (sampling.MaxTokens < 1) throw new ArgumentOutOfRangeException(nameof(sampling), "max_tokens must be at least 1");
        Prompt = prompt;
        Sampling = sampling;
        Cancellation = cancellation;
        _stops = new StopStringMatcher(sampling.Stop);
    }

    public PreparedPrompt Prompt { get; }
    public SamplingSettings Sampling { get; }

    /// <summary>Cancelled when the client disconnects or the request times out: the backend drops the job.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>Generated text as it becomes final (stop-string prefixes are held back until resolved).</summary>
    public ChannelReader<string> Text => _text.Reader;

    public Task<GenerationResult> Completion => _completion.Task;

    public int CompletionTokens { get; private set; }

    public bool IsFinished => Volatile.Read(ref _finished) != 0;

    /// <summary>The backend took the job into a batch.</summary>
    public void MarkStarted()
    {
        if (_started == 0) _started = Stopwatch.GetTimestamp();
    }

    /// <summary>One generated token and the text it completes (empty while a character is incomplete).
    /// Returns true when the job is done: a stop string was reached or max_tokens was generated.</summary>
    /// <param name="tokenId">The token's id, when the backend knows it (kept in the result's <see cref="GenerationResult.TokenIds"/>).</param>
    public bool Append(string piece, int? tokenId = null)
    {
        if (IsFinished) return true;
        MarkStarted();
        if (tokenId is int id) _tokenIds.Add(id);
        if (CompletionTokens++ == 0) _firstToken = Stopwatch.GetTimestamp();
        Write(_stops.Push(piece));
        if (_stops.Stopped) return Finish(GenerationFinish.Stop);
        return CompletionTokens >= Sampling.MaxTokens && Finish(GenerationFinish.Length);
    }

    /// <summary>The model generated an end-of-sequence token (counted, not written).</summary>
    public void EndOfSequence(int? tokenId = null)
    {
        if (IsFinished) return;
        MarkStarted();
        if (tokenId is int id) _tokenIds.Add(id);
        if (CompletionTokens++ == 0) _firstToken = Stopwatch.GetTimestamp();
        Finish(GenerationFinish.Stop);
    }

    /// <summary>The backend dropped the job because <see cref="Cancellation"/> fired.</summary>
    public void Abandon() => Finish(GenerationFinish.Cancelled);

    /// <summary>The backend could not generate (a native error, out of memory).</summary>
    public void Fail(Exception error)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0) return;
        _text.Writer.TryComplete(error);
        _completion.TrySetException(error);
    }

    private bool Finish(GenerationFinish finish)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0) return true;
        if (finish != GenerationFinish.Cancelled) Write(_stops.Flush());
        _text.Writer.TryComplete();
        var now = Stopwatch.GetTimestamp();
        _completion.TrySetResult(new GenerationResult(
            _written.ToString(),
            finish,
            Prompt.Ids.Length,
            CompletionTokens,
            Stopwatch.GetElapsedTime(_submitted, _started == 0 ? now : _started),
            _firstToken == 0 ? null : Stopwatch.GetElapsedTime(_submitted, _firstToken),
            Stopwatch.GetElapsedTime(_submitted, now),
            [.. _tokenIds]));
        return true;
    }

    private void Write(string text)
    {
        if (text.Length == 0) return;
        _written.Append(text);
        _text.Writer.TryWrite(text);
    }
}
