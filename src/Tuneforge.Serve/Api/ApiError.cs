namespace Tuneforge.Serve.Api;

/// <summary>
/// A request the server answers with an error status: what went wrong, the field it concerns (as the request names
/// it, e.g. <c>messages[1].content</c>), and OpenAI's error type so OpenAI clients show it well.
/// </summary>
public sealed class ApiError(int status, string title, string detail, string? field = null, string? errorType = null, string? code = null) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public string Detail { get; } = detail;
    public string? Field { get; } = field;
    public string ErrorType { get; } = errorType ?? (status >= 500 ? "server_error" : "invalid_request_error");
    public string? Code { get; } = code;

    /// <summary>Seconds a client should wait before retrying (429, 503).</summary>
    public int? RetryAfterSeconds { get; init; }

    public static ApiError Invalid(string field, string detail) =>
        new(400, "Invalid request", $"{field}: {detail}", field);

    public static ApiError Unsupported(string field, string detail) =>
        new(400, "Unsupported parameter", $"{field}: {detail}", field, code: "unsupported_parameter");
}
