namespace Tuneforge.Hub.Download;

/// <summary>
/// Exponential backoff with jitter over <see cref="TransientHubFailure"/>. Hand-written rather than Polly because a
/// download that made progress before dropping must get its retry budget back, as huggingface_hub's http_get does.
/// </summary>
internal sealed class RetryLoop(HubClientOptions options)
{
    public async Task<T> RunAsync<T>(Func<Task<T>> attempt, Func<long>? progress, CancellationToken cancellation, int? maxRetries = null)
    {
        var limit = maxRetries ?? options.MaxRetries;
        var failures = 0;
        var lastProgress = progress?.Invoke() ?? 0;
        while (true)
        {
            try
            {
                return await attempt().ConfigureAwait(false);
            }
            catch (TransientHubFailure failure)
            {
                var now = progress?.Invoke() ?? 0;
                if (now > lastProgress)
                    failures = 0;
                lastProgress = now;
                failures++;
                if (failures > limit)
                    throw new HubException(failure.Final.Kind, $"{failure.Final.Message} (tried {failures} times)", failure.Final.InnerException);
                await Task.Delay(Delay(failures, failure.RetryAfter), cancellation).ConfigureAwait(false);
            }
        }
    }

    private TimeSpan Delay(int failures, TimeSpan? retryAfter)
    {
        var max = options.RetryMaxDelay;
        if (retryAfter is { } wait && wait > TimeSpan.Zero)
            return wait < max ? wait : max;
        var exponential = options.RetryBaseDelay * Math.Pow(2, failures - 1);
        var capped = exponential < max ? exponential : max;
        return capped * (0.5 + Random.Shared.NextDouble() * 0.5);
    }
}
