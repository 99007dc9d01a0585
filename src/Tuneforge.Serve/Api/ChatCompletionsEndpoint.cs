using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tuneforge.Serve.Generation;
using Tuneforge.Serve.Hosting;

namespace Tuneforge.Serve.Api;

/// <summary>
/// <c>POST /v1/chat/completions</c>, compatible with OpenAI's API: the chat template is applied here, usage counts
/// tokens, <c>stream: true</c> answers with server-sent events, and DeepSeek-R1's <c>&lt;think&gt;</c> text comes back as
/// <c>reasoning_content</c> (as DeepSeek's own API does) rather than inside <c>content</c>.
/// </summary>
internal static class ChatCompletionsEndpoint
{
    public const string Route = "/v1/chat/completions";

    public static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<ServeOptions>();
        var runner = services.GetRequiredService<CompletionRunner>();
        var body = await RequestBody.ReadObjectAsync(context, options.MaxBodyBytes);
        var backend = services.GetRequiredService<BackendHolder>().Require();
        var request = ChatCompletionRequest.Parse(body, backend.Defaults, runner.Limits(backend));
        if (request.Model is { } model && model != backend.Info.ModelId)
            throw new ApiError(404, "Model not found", $"model: '{model}' is not served here; this server serves '{backend.Info.ModelId}' (GET /v1/models)", "model", code: "model_not_found");
        var maxField = body.TryGetProperty("max_completion_tokens", out _) ? "max_completion_tokens" : "max_tokens";
        var running = runner.Start(context, Route, "chatcmpl", backend, request.Messages, request.Sampling, maxField);
        if (request.Stream) await StreamAsync(context, runner, running, request.IncludeUsage);
        else await CompleteAsync(context, runner, running);
    }

    private static async Task CompleteAsync(HttpContext context, CompletionRunner runner, RunningCompletion running)
    {
        var result = await running.WaitAsync();
        var split = new ReasoningStream(running.Job.Prompt.ThinkOpened);
        split.Push(result.Text);
        split.Finish();
        runner.Record(running, result, split);
        var message = new JsonObject { ["role"] = "assistant", ["content"] = split.Answer };
        if (split.Reasoning is { } reasoning) message["reasoning_content"] = reasoning;
        var response = Envelope(running, "chat.completion");
        response["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = message,
            ["logprobs"] = null,
            ["finish_reason"] = CompletionRunner.FinishReason(result.Finish),
        });
        response["usage"] = Usage(result);
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(response.ToJsonString(ProblemWriter.Json), context.RequestAborted);
    }

    private static async Task StreamAsync(HttpContext context, CompletionRunner runner, RunningCompletion running, bool includeUsage)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;
        var split = new ReasoningStream(running.Job.Prompt.ThinkOpened);
        await ServerSentEvents.StartAsync(response);
        await ServerSentEvents.WriteAsync(response, Chunk(running, new JsonObject { ["role"] = "assistant", ["content"] = "" }, null), aborted);
        GenerationResult result;
        try
        {
            await foreach (var piece in running.Job.Text.ReadAllAsync(running.Cancellation))
                await WriteDeltaAsync(response, running, split.Push(piece), aborted);
            result = await running.WaitAsync();
        }
        catch (OperationCanceledException) when (running.TimedOut)
        {
            await FailAsync(context, running.TimeoutError());
            return;
        }
        catch (ApiError error)
        {
            await FailAsync(context, error);
            return;
        }
        catch (CapacityException e)
        {
            await FailAsync(context, RunningCompletion.Busy(e));
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.RequestServices.GetRequiredService<ILogger<CompletionRunner>>().LogError(e, "{Id}: generation failed", running.Id);
            await FailAsync(context, new ApiError(500, "Internal error", $"generation failed; the server log has the details (trace id {context.TraceIdentifier})"));
            return;
        }
        await WriteDeltaAsync(response, running, split.Finish(), aborted);
        runner.Record(running, result, split);
        await ServerSentEvents.WriteAsync(response, Chunk(running, new JsonObject(), CompletionRunner.FinishReason(result.Finish)), aborted);
        if (includeUsage)
        {
            var usage = Envelope(running, "chat.completion.chunk");
            usage["choices"] = new JsonArray();
            usage["usage"] = Usage(result);
            await ServerSentEvents.WriteAsync(response, usage, aborted);
        }
        await ServerSentEvents.DoneAsync(response, aborted);
    }

    private static async Task WriteDeltaAsync(HttpResponse response, RunningCompletion running, (string Reasoning, string Answer) delta, CancellationToken aborted)
    {
        if (delta.Reasoning.Length > 0) await ServerSentEvents.WriteAsync(response, Chunk(running, new JsonObject { ["reasoning_content"] = delta.Reasoning }, null), aborted);
        if (delta.Answer.Length > 0) await ServerSentEvents.WriteAsync(response, Chunk(running, new JsonObject { ["content"] = delta.Answer }, null), aborted);
    }

    // Once the stream has begun the status is sent: the error travels as an event, as OpenAI's streams carry them.
    private static async Task FailAsync(HttpContext context, ApiError error)
    {
        await ServerSentEvents.WriteAsync(context.Response, new JsonObject { ["error"] = ProblemWriter.OpenAiError(error) }, context.RequestAborted);
        await ServerSentEvents.DoneAsync(context.Response, context.RequestAborted);
    }

    private static JsonObject Chunk(RunningCompletion running, JsonObject delta, string? finishReason)
    {
        var chunk = Envelope(running, "chat.completion.chunk");
        chunk["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finishReason });
        return chunk;
    }

    private static JsonObject Envelope(RunningCompletion running, string kind) => new()
    {
        ["id"] = running.Id,
        ["object"] = kind,
        ["created"] = running.Created.ToUnixTimeSeconds(),
        ["model"] = running.Model,
        ["system_fingerprint"] = ServeVersion.Fingerprint,
    };

    public static JsonObject Usage(GenerationResult result) => new()
    {
        ["prompt_tokens"] = result.PromptTokens,
        ["completion_tokens"] = result.CompletionTokens,
        ["total_tokens"] = result.PromptTokens + result.CompletionTokens,
    };
}
