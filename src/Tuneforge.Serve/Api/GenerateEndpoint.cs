using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tuneforge.Serve.Generation;
using Tuneforge.Serve.Hosting;
using Tuneforge.Text;

namespace Tuneforge.Serve.Api;

/// <summary>
/// The guide's <c>POST /generate</c>: <c>{query, max_length, temperature, top_p}</c> → <c>{response}</c>. Unlike the
/// guide's FastAPI version, the query goes through the chat template the model was tuned with, <c>response</c> is the
/// answer alone (not the prompt echoed back), the reasoning comes separately, and the id can be rated at /feedback.
/// </summary>
internal static class GenerateEndpoint
{
    public const string Route = "/generate";

    public static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<ServeOptions>();
        var runner = services.GetRequiredService<CompletionRunner>();
        var body = await RequestBody.ReadObjectAsync(context, options.MaxBodyBytes);
        var backend = services.GetRequiredService<BackendHolder>().Require();
        var request = GenerateRequest.Parse(body, runner.Limits(backend));
        var running = runner.Start(context, Route, "gen", backend, [ChatMessage.User(request.Query)], request.Sampling, "max_length");
        var result = await running.WaitAsync();
        var split = new ReasoningStream(running.Job.Prompt.ThinkOpened);
        split.Push(result.Text);
        split.Finish();
        runner.Record(running, result, split);
        var response = new JsonObject
        {
            ["response"] = split.Answer,
            ["reasoning"] = split.Reasoning,
            ["id"] = running.Id,
            ["model"] = running.Model,
            ["finish_reason"] = CompletionRunner.FinishReason(result.Finish),
            ["usage"] = ChatCompletionsEndpoint.Usage(result),
        };
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(response.ToJsonString(ProblemWriter.Json), context.RequestAborted);
    }
}
