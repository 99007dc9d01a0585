using Tuneforge.Serve.Generation;
using Tuneforge.Text;

namespace Tuneforge.Serve.Api;

/// <summary>A submitted generation as its endpoint sees it: the id the client gets, and waiting that maps the request
/// timeout to 503 and a client that left to a plain cancellation.</summary>
internal sealed class RunningCompletion(
    string id, DateTimeOffset created, string route, string model, IReadOnlyList<ChatMessage> messages, GenerationJob job,
    CancellationToken cancellation, CancellationToken clientGone, TimeSpan timeout)
{
    public string Id { get; } = id;
    public DateTimeOffset Created { get; } = created;
    public string Route { get; } = route;
    public string Model { get; } = model;
    public IReadOnlyList<ChatMessage> Messages { get; } = messages;
    public GenerationJob Job { get; } = job;

    /// <summary>Cancelled when the client disconnects or the timeout passes.</summary>
    public CancellationToken Cancellation { get; } = cancellation;

    public bool TimedOut => Cancellation.IsCancellationRequested && !clientGone.IsCancellationRequested;

    /// <summary>The finished generation. Throws <see cref="ApiError"/> 503 on timeout or a full backend, and
    /// <see cref="OperationCanceledException"/> when the client went away.</summary>
    public async Task<GenerationResult> WaitAsync()
    {
        GenerationResult result;
        try
        {
            result = await Job.Completion.WaitAsync(Cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (TimedOut)
        {
            throw TimeoutError();
        }
        catch (CapacityException e)
        {
            throw Busy(e);
        }
        if (result.Finish == GenerationFinish.Cancelled)
        {
            if (TimedOut) throw TimeoutError();
            throw new OperationCanceledException("the client closed the connection");
        }
        return result;
    }

    public ApiError TimeoutError() => new(503, "Request timeout", $"the generation did not finish within the server's request timeout of {timeout.TotalSeconds:0} s; ask for fewer tokens or retry later",
        errorType: "timeout", code: "timeout") { RetryAfterSeconds = 1 };

    public static ApiError Busy(CapacityException e) => new(503, "Server busy", e.Message, code: "capacity") { RetryAfterSeconds = 1 };
}
