using Microsoft.AspNetCore.Http;

namespace Tuneforge.Serve.Api;

/// <summary>Turns an <see cref="ApiError"/> from an endpoint into its problem response, and ends quietly when the client left.</summary>
internal sealed class ApiErrorMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (ApiError error) when (!context.Response.HasStarted)
        {
            await ProblemWriter.WriteAsync(context, error);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client closed the connection: nobody is left to answer.
        }
    }
}
