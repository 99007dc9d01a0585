using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tuneforge.Serve.Admission;
using Tuneforge.Data.Feedback;
using Tuneforge.Serve.Generation;
using Tuneforge.Serve.Observability;
using Tuneforge.Text;

namespace Tuneforge.Serve.Api;

/// <summary>
/// What both generation endpoints do around the model: prompt checks against the server's limits, admission (429 past
/// the queue), the per-request timeout and client disconnects, metrics, the log line, and storing the response for
/// feedback.
/// </summary>
internal sealed class CompletionRunner(ServeOptions options, AdmissionGate gate, ServeMetrics metrics, FeedbackStore? store, ILogger<CompletionRunner> log)
{
    private int _stored;

    public RequestLimits Limits(IGenerationBackend backend)
    {
        var context = backend.Info.ContextLength;
        return new RequestLimits(Math.Min(options.MaxTokensLimit, context - 1), Math.Min(options.MaxPromptTokens, context - 1), context,
            Math.Min(options.DefaultMaxTokens, Math.Min(options.MaxTokensLimit, context - 1)));
    }

    /// <summary>Prepares and submits a generation; throws <see cref="ApiError"/> for what the client must change or retry.</summary>
    public RunningCompletion Start(HttpContext context, string route, string idPrefix, IGenerationBackend backend,
        IReadOnlyList<ChatMessage> messages, SamplingSettings sampling, string maxTokensField)
    {
        PreparedPrompt prompt;
        try
        {
            prompt = backend.Prepare(messages);
        }
        catch (ChatTemplateException e)
        {
            throw ApiError.Invalid("messages", e.Message);
        }
        var limits = Limits(backend);
        if (prompt.Ids.Length > limits.MaxPromptTokens)
            throw ApiError.Invalid("messages", $"the prompt is {prompt.Ids.Length} tokens after the chat template; this server takes at most {limits.MaxPromptTokens}");
        if (prompt.Ids.Length + sampling.MaxTokens > limits.ContextLength)
            throw ApiError.Invalid(maxTokensField, $"the prompt ({prompt.Ids.Length} tokens) plus {maxTokensField} ({sampling.MaxTokens}) exceeds the model's context of {limits.ContextLength}; ask for at most {limits.ContextLength - prompt.Ids.Length}");

        var (lease, refusal) = gate.TryEnter();
        if (lease is null)
        {
            var (reason, why) = refusal == Refusal.QueueFull
                ? ("queue_full", $"the server is busy ({gate.Capacity} generations running or queued)")
                : ("would_time_out", $"the server is busy: at the current pace this request would not finish within the request timeout of {options.RequestTimeout.TotalSeconds:0} s");
            metrics.Rejected.WithLabels(reason).Inc();
            throw new ApiError(429, "Too many requests", $"{why}; retry after the time in Retry-After",
                errorType: "rate_limit_exceeded", code: reason) { RetryAfterSeconds = gate.RetryAfterSeconds };
        }
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        cancellation.CancelAfter(options.RequestTimeout);
        var job = new GenerationJob(prompt, sampling, cancellation.Token);
        metrics.InFlight.Inc();
        _ = job.Completion.ContinueWith(done =>
        {
            metrics.InFlight.Dec();
            lease.Release(done.IsCompletedSuccessfully && done.Result.Finish != GenerationFinish.Cancelled ? done.Result.Duration - done.Result.QueueTime : null);
            cancellation.Dispose();
        }, TaskScheduler.Default);
        var running = new RunningCompletion($"{idPrefix}-{Guid.NewGuid():N}", DateTimeOffset.UtcNow, route, backend.Info.ModelId, messages, job,
            cancellation.Token, context.RequestAborted, options.RequestTimeout);
        backend.Submit(job);
        return running;
    }

    /// <summary>A generation ended normally: count it, log it, keep it for feedback.</summary>
    public void Record(RunningCompletion running, GenerationResult result, ReasoningStream split)
    {
        metrics.Observe(running.Route, result);
        var finish = FinishReason(result.Finish);
        log.LogInformation("{Id} {Route} prompt={PromptTokens} completion={CompletionTokens} finish={Finish} queue={QueueMs:0}ms ttft={TtftMs:0}ms total={TotalMs:0}ms",
            running.Id, running.Route, result.PromptTokens, result.CompletionTokens, finish, result.QueueTime.TotalMilliseconds,
            result.TimeToFirstToken?.TotalMilliseconds ?? 0, result.Duration.TotalMilliseconds);
        if (options.LogPrompts)
        {
            log.LogInformation("{Id} messages={Messages} reasoning={Reasoning} answer={Answer}", running.Id,
                JsonSerializer.Serialize(running.Messages.Select(m => new { role = m.Role, content = m.Content })), split.Reasoning, split.Answer);
        }
        if (store is null) return;
        try
        {
            store.RecordCompletion(new StoredCompletion(running.Id, running.Created, running.Model, running.Route, running.Messages, split.Answer,
                split.Reasoning, finish, result.PromptTokens, result.CompletionTokens));
            if (Interlocked.Increment(ref _stored) % 500 == 0) store.Prune(options.MaxStoredCompletions);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or InvalidOperationException)
        {
            // The answer is good; only rating it later will fail. A full disk must not turn answers into errors.
            log.LogError(e, "{Id}: could not store the response for feedback in {Path}", running.Id, store.Path);
        }
    }

    public static string FinishReason(GenerationFinish finish) => finish == GenerationFinish.Length ? "length" : "stop";
}
