using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tuneforge.Serve.Hosting;

namespace Tuneforge.Serve.Api;

/// <summary><c>GET /v1/models</c>, <c>/healthz</c> (the process answers) and <c>/readyz</c> (the model is loaded).</summary>
internal static class StatusEndpoints
{
    public static async Task ModelsAsync(HttpContext context)
    {
        var backend = context.RequestServices.GetRequiredService<BackendHolder>().Require();
        var started = context.RequestServices.GetRequiredService<ServeClock>().Started;
        var models = new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(new JsonObject
            {
                ["id"] = backend.Info.ModelId,
                ["object"] = "model",
                ["created"] = started.ToUnixTimeSeconds(),
                ["owned_by"] = "tuneforge",
                ["backend"] = backend.Info.Kind,
                ["context_length"] = backend.Info.ContextLength,
                ["chat_template"] = backend.Info.ChatTemplate,
            }),
        };
        await WriteJsonAsync(context, 200, models);
    }

    public static Task HealthAsync(HttpContext context) => WriteJsonAsync(context, 200, new JsonObject { ["status"] = "ok" });

    public static Task ReadyAsync(HttpContext context)
    {
        var holder = context.RequestServices.GetRequiredService<BackendHolder>();
        return holder.State switch
        {
            BackendState.Ready => WriteJsonAsync(context, 200, new JsonObject
            {
                ["status"] = "ready",
                ["model"] = holder.Backend!.Info.ModelId,
                ["backend"] = holder.Backend.Info.Kind,
                ["waiting"] = holder.Backend.Waiting,
            }),
            BackendState.Loading => WriteJsonAsync(context, 503, new JsonObject { ["status"] = "loading" }),
            _ => WriteJsonAsync(context, 503, new JsonObject { ["status"] = "failed" }),
        };
    }

    public static async Task WriteJsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(ProblemWriter.Json), context.RequestAborted);
    }
}
