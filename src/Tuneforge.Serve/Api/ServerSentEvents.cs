using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Tuneforge.Serve.Api;

/// <summary>OpenAI's streaming format: <c>data: {json}</c> events, ended by <c>data: [DONE]</c>.</summary>
internal static class ServerSentEvents
{
    public static Task StartAsync(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";   // proxies must not buffer the stream
        return response.Body.FlushAsync();
    }

    public static async Task WriteAsync(HttpResponse response, JsonNode data, CancellationToken cancellation)
    {
        await response.WriteAsync($"data: {data.ToJsonString(ProblemWriter.Json)}\n\n", cancellation);
        await response.Body.FlushAsync(cancellation);
    }

    public static async Task DoneAsync(HttpResponse response, CancellationToken cancellation)
    {
        await response.WriteAsync("data: [DONE]\n\n", cancellation);
        await response.Body.FlushAsync(cancellation);
    }
}
