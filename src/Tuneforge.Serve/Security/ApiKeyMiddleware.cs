using Microsoft.AspNetCore.Http;
using Tuneforge.Serve.Api;

namespace Tuneforge.Serve.Security;

/// <summary>With API keys configured, every request except the health probes needs <c>Authorization: Bearer KEY</c>; else 401.</summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeySet keys)
{
    private static readonly PathString[] Open = ["/healthz", "/readyz"];

    public Task InvokeAsync(HttpContext context)
    {
        if (HttpMethods.IsOptions(context.Request.Method) || Open.Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase)))
            return next(context);
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
            return ProblemWriter.WriteAsync(context, Unauthorized("missing API key: send the header Authorization: Bearer YOUR_KEY", "missing_api_key"));
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || !keys.Accepts(header[scheme.Length..].Trim()))
            return ProblemWriter.WriteAsync(context, Unauthorized("invalid API key", "invalid_api_key"));
        return next(context);
    }

    private static ApiError Unauthorized(string detail, string code) =>
        new(401, "Unauthorized", detail, errorType: "authentication_error", code: code);
}
