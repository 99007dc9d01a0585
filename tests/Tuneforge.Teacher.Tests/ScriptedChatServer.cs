using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Tuneforge.Teacher.Tests;

/// <summary>One scripted answer of the test server: status, body, headers, and a delay before answering.</summary>
public sealed record ScriptedAnswer(int Status, string Body, TimeSpan Delay = default, string? RetryAfter = null)
{
    public static ScriptedAnswer Completion(string content, string? reasoning = null, int promptTokens = 5, int completionTokens = 3) => new(200, new JsonObject
    {
        ["id"] = "chatcmpl-1",
        ["object"] = "chat.completion",
        ["model"] = "scripted",
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content, ["reasoning_content"] = reasoning },
            ["finish_reason"] = "stop",
        }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = promptTokens, ["completion_tokens"] = completionTokens, ["total_tokens"] = promptTokens + completionTokens },
    }.ToJsonString());

    public static ScriptedAnswer Error(int status, string message, string? retryAfter = null) =>
        new(status, new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "scripted" } }.ToJsonString(), RetryAfter: retryAfter);
}

/// <summary>
/// A real HTTP server on loopback that speaks /v1/chat/completions from a script: each request takes the next answer
/// (the last one repeats), and every request's headers and body are kept for the test to read.
/// </summary>
public sealed class ScriptedChatServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<JsonObject, ScriptedAnswer> _respond;
    private int _inFlight;

    public ScriptedChatServer(int port, params ScriptedAnswer[] script)
        : this(port, Sequence(script))
    {
    }

    /// <summary>A server that answers each request body with what <paramref name="respond"/> makes of it.</summary>
    public ScriptedChatServer(int port, Func<JsonObject, ScriptedAnswer> respond)
    {
        _respond = respond;
        BaseUrl = $"http://127.0.0.1:{port}/v1";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }

    public ConcurrentQueue<(string? Authorization, JsonObject Body, string Path)> Requests { get; } = new();

    public int MaxInFlight { get; private set; }

    public void Dispose() => _listener.Close();

    private static Func<JsonObject, ScriptedAnswer> Sequence(ScriptedAnswer[] script)
    {
        var queue = new ConcurrentQueue<ScriptedAnswer>(script);
        return _ => queue.TryDequeue(out var next) ? next : script[^1];
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        int now = Interlocked.Increment(ref _inFlight);
        lock (_listener)
        {
            MaxInFlight = Math.Max(MaxInFlight, now);
        }

        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            string body = await reader.ReadToEndAsync();
            JsonObject request = JsonNode.Parse(body)!.AsObject();
            Requests.Enqueue((context.Request.Headers["Authorization"], request, context.Request.Url!.AbsolutePath));
            ScriptedAnswer answer = _respond(request);
            await Task.Delay(answer.Delay);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json";
            if (answer.RetryAfter is not null)
            {
                context.Response.Headers["Retry-After"] = answer.RetryAfter;
            }

            byte[] bytes = Encoding.UTF8.GetBytes(answer.Body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client gave up (a timeout test): nothing to answer.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
