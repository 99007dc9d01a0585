using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Tuneforge.Serve.Observability;

/// <summary>Counts every request by its route template (never the raw path: unknown paths are one "unmatched" series) and status.</summary>
internal sealed class RequestMetricsMiddleware(RequestDelegate next, ServeMetrics metrics)
{
    /// <summary>nginx's code for a client that closed the connection before the response ended.</summary>
    public const int ClientClosedRequest = 499;

    public async Task InvokeAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        // Read before the exception handler clears the endpoint to re-execute.
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
        try
        {
            await next(context);
        }
        finally
        {
            var status = context.RequestAborted.IsCancellationRequested ? ClientClosedRequest : context.Response.StatusCode;
            metrics.Requests.WithLabels(route, context.Request.Method, status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
            metrics.RequestDuration.WithLabels(route).Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
    }
}
