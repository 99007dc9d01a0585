using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Tuneforge.Serve.Api;

/// <summary>
/// Writes errors as RFC 9457 problem details (<c>application/problem+json</c>) that also carry OpenAI's
/// <c>error</c> object, so both a generic HTTP client and the OpenAI SDKs read the reason. Never a stack trace.
/// </summary>
public static class ProblemWriter
{
    public static Task WriteAsync(HttpContext context, ApiError error)
    {
        var response = context.Response;
        response.StatusCode = error.Status;
        response.ContentType = "application/problem+json";
        if (error.RetryAfterSeconds is int seconds) response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (error.Status == 401) response.Headers.WWWAuthenticate = "Bearer realm=\"tuneforge\"";
        return response.WriteAsync(Body(context, error).ToJsonString(Json), context.RequestAborted);
    }

    public static JsonObject Body(HttpContext context, ApiError error)
    {
        var body = new JsonObject
        {
            ["type"] = $"https://httpstatuses.io/{error.Status}",
            ["title"] = error.Title,
            ["status"] = error.Status,
            ["detail"] = error.Detail,
        };
        if (error.Field is not null) body["errors"] = new JsonObject { [error.Field] = new JsonArray(error.Detail) };
        body["error"] = OpenAiError(error);
        body["traceId"] = context.TraceIdentifier;
        return body;
    }

    /// <summary>OpenAI's error object, also used inside a stream once the status line is sent.</summary>
    public static JsonObject OpenAiError(ApiError error) => new()
    {
        ["message"] = error.Detail,
        ["type"] = error.ErrorType,
        ["param"] = error.Field,
        ["code"] = error.Code,
    };

    /// <summary>A status with no more to say than its name (404, 405 from routing).</summary>
    public static ApiError ForStatus(int status, string path) => status switch
    {
        404 => new ApiError(404, "Not found", $"no endpoint at {path}; the API has POST /v1/chat/completions, POST /generate, GET /v1/models, POST /feedback, GET /healthz, /readyz, /metrics", code: "not_found"),
        405 => new ApiError(405, "Method not allowed", $"{path} does not take this method"),
        _ => new ApiError(status, ReasonPhrases.GetReasonPhrase(status), ReasonPhrases.GetReasonPhrase(status)),
    };

    /// <summary>Responses keep non-ASCII text as UTF-8 (Chinese answers stay readable), still escaping HTML-sensitive characters.</summary>
    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };
}
