using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Tuneforge.Files;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Teacher;

/// <summary>
/// A teacher behind any OpenAI-compatible <c>/v1/chat/completions</c> endpoint (DeepSeek, OpenAI, vLLM, llama.cpp's
/// server, Tuneforge's Serve): a concurrency limit, retries with backoff on 429/5xx and timeouts, errors a user can act on.
/// </summary>
public sealed class OpenAiTeacher : ITeacher, IDisposable
{
    private readonly TeacherSpec _spec;
    private readonly string? _apiKey;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _slots;
    private readonly Uri _endpoint;

    /// <param name="spec">The endpoint, model, sampling, retries and limits.</param>
    /// <param name="apiKey">The key read from <see cref="TeacherSpec.ApiKeyEnv"/>; kept out of every message and identity.</param>
    /// <param name="identity">What the answers depend on when the endpoint's address does not say it (a local teacher on a
    /// port of the day); default <see cref="IdentityOf"/>.</param>
    public OpenAiTeacher(TeacherSpec spec, string? apiKey, string? identity = null)
    {
        _spec = spec;
        _apiKey = string.IsNullOrEmpty(apiKey) ? null : apiKey;
        _endpoint = new Uri(spec.BaseUrl.TrimEnd('/') + "/chat/completions");
        _http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _slots = new SemaphoreSlim(spec.MaxConcurrency);
        Identity = identity ?? IdentityOf(spec);
    }

    public string Identity { get; }

    /// <summary>The endpoint, model and sampling settings as canonical JSON: what the answers depend on, without the key.</summary>
    public static string IdentityOf(TeacherSpec spec) =>
        WithSampling(spec, new JsonObject { ["base_url"] = spec.BaseUrl.TrimEnd('/'), ["model"] = spec.Model });

    /// <summary>A local teacher's identity: the pipeline's model section (source, seed, template, system prompt) and the
    /// sampling settings, never the loopback address it happens to be served on.</summary>
    public static string LocalIdentityOf(TeacherSpec spec, string modelSection) =>
        WithSampling(spec, new JsonObject { ["local"] = JsonNode.Parse(modelSection) });

    // The sampling settings every answer depends on, whoever serves it.
    static string WithSampling(TeacherSpec spec, JsonObject who)
    {
        who["temperature"] = spec.Temperature;
        who["top_p"] = spec.TopP;
        who["max_tokens"] = spec.MaxTokens;
        who["seed"] = spec.Seed;
        return CanonicalJson.Compact(who);
    }

    public async Task<TeacherReply> AskAsync(TeacherRequest request, CancellationToken cancellationToken = default)
    {
        string body = ChatCompletionJson.Body(_spec, request);
        string lastFailure = "";
        for (int attempt = 0; ; attempt++)
        {
            TimeSpan? retryAfter;
            await _slots.WaitAsync(cancellationToken);
            try
            {
                (HttpStatusCode status, string text, retryAfter) = await SendAsync(body, cancellationToken);
                if (status == HttpStatusCode.OK)
                {
                    return ChatCompletionJson.Parse(text, out string problem)
                        ?? throw Fail($"answered 200 but not with an OpenAI chat completion: {problem}; the body starts: {ChatCompletionJson.Start(text)}. " +
                            "Check that teacher.base_url is the API's /v1 root.");
                }

                if (!Retryable(status))
                {
                    throw Fail(Explain(status, ChatCompletionJson.ErrorText(text)));
                }

                lastFailure = $"{(int)status} {ChatCompletionJson.ErrorText(text)}";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                (lastFailure, retryAfter) = ($"no answer within teacher.request_timeout_s = {_spec.RequestTimeoutS} s", null);
            }
            catch (HttpRequestException e)
            {
                throw Fail($"cannot be reached ({e.Message}). Check teacher.base_url and that the server is running.", e);
            }
            finally
            {
                _slots.Release();
            }

            if (attempt >= _spec.MaxRetries)
            {
                throw Fail($"failed {attempt + 1} times (teacher.max_retries = {_spec.MaxRetries}); last: {lastFailure}. " +
                    "Wait and run again (answers so far are cached), or raise teacher.max_retries / teacher.request_timeout_s.");
            }

            await Task.Delay(retryAfter ?? Backoff(attempt), cancellationToken);
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _slots.Dispose();
    }

    /// <summary>Doubling from retry_delay_s, capped at a minute.</summary>
    internal TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(Math.Min(60.0, _spec.RetryDelayS * Math.Pow(2, attempt)));

    private async Task<(HttpStatusCode Status, string Text, TimeSpan? RetryAfter)> SendAsync(string body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_spec.RequestTimeoutS));
        using var message = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (_apiKey is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        }

        using HttpResponseMessage response = await _http.SendAsync(message, timeout.Token);
        string text = await response.Content.ReadAsStringAsync(timeout.Token);
        return (response.StatusCode, text, RetryAfterOf(response));
    }

    /// <summary>Retry-After as seconds or as a date; null when absent.</summary>
    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static bool Retryable(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    private string Explain(HttpStatusCode status, string serverText) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => _spec.ApiKeyEnv is null
            ? $"refused the request ({(int)status}: {serverText}): it wants an API key. Set teacher.api_key_env to the name of the environment variable that holds it."
            : $"refused the key in ${_spec.ApiKeyEnv} ({(int)status}: {serverText}). Check that the variable holds a valid key for {_spec.BaseUrl}.",
        HttpStatusCode.NotFound =>
            $"answered 404 ({serverText}): no model '{_spec.Model}' or no chat-completions endpoint there. Check teacher.model against the server's /models and that teacher.base_url ends with /v1.",
        _ => $"answered {(int)status} ({serverText}). Check the teacher settings against the server's documentation.",
    };

    private TeacherException Fail(string what, Exception? inner = null) =>
        new(Redact($"teacher {_spec.Model} at {_spec.BaseUrl} {what}"), inner);

    /// <summary>Servers sometimes echo the key they refused; it never reaches a message.</summary>
    private string Redact(string text) => _apiKey is null ? text : text.Replace(_apiKey, "***", StringComparison.Ordinal);
}
