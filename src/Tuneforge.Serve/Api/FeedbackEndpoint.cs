using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tuneforge.Data.Feedback;

namespace Tuneforge.Serve.Api;

/// <summary>
/// <c>POST /feedback</c>: <c>{response_id, rating (1–5), comment?, correction?}</c> about a response this server gave
/// (the <c>id</c> of a chat completion or of /generate). Stored in SQLite; exported as a dataset with
/// <c>tuneforge-engine serve --export-feedback FILE</c>.
/// </summary>
internal static class FeedbackEndpoint
{
    public const string Route = "/feedback";
    public const int MaxTextLength = 32_000;

    public static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var store = services.GetService<FeedbackStore>()
            ?? throw new ApiError(404, "Feedback off", "feedback is not stored on this server (it was started with --no-feedback)", code: "feedback_disabled");
        var body = await RequestBody.ReadObjectAsync(context, services.GetRequiredService<ServeOptions>().MaxBodyBytes);
        var fields = new JsonFields(body);
        var responseId = fields.RequiredString("response_id");
        var rating = fields.Integer("rating") ?? throw ApiError.Invalid("rating", "is required: an integer from 1 (bad) to 5 (good)");
        if (rating is < 1 or > 5) throw ApiError.Invalid("rating", $"must be an integer from 1 (bad) to 5 (good), got {rating}");
        var comment = Text(fields, "comment");
        var correction = Text(fields, "correction");
        if (correction is not null && string.IsNullOrWhiteSpace(correction)) throw ApiError.Invalid("correction", "must not be empty when given");
        var id = store.AddFeedback(new FeedbackEntry(responseId, rating, comment, correction), DateTimeOffset.UtcNow)
            ?? throw new ApiError(404, "Response not found", $"response_id: no response '{Shorten(responseId)}' is stored on this server", "response_id", code: "response_not_found");
        await StatusEndpoints.WriteJsonAsync(context, 201, new JsonObject { ["id"] = id, ["response_id"] = responseId, ["rating"] = rating });
    }

    private static string? Text(JsonFields fields, string key)
    {
        var text = fields.String(key);
        if (text is { Length: > MaxTextLength }) throw ApiError.Invalid(key, $"at most {MaxTextLength} characters, got {text.Length}");
        return text;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
