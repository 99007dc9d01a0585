using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Files;
using Tuneforge.Text;

namespace Tuneforge.Serve.Feedback;

/// <summary>What an export wrote and what it left out.</summary>
public sealed record FeedbackExportResult(string Path, int Written, int BelowRating, int EmptyAnswer);

/// <summary>
/// Turns rated responses into a chat dataset (JSON lines of <c>{id, messages, category, ...}</c>) that the pipeline's
/// Clean reads as it reads any source: the guide's feedback loop, closed. A response enters when its latest rating
/// reaches <c>minRating</c> or a person wrote a correction (the correction is the answer then). Rating, comment and
/// model travel as metadata.
/// </summary>
public static class FeedbackExporter
{
    public const string Category = "feedback";

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static FeedbackExportResult Export(FeedbackStore store, string path, int minRating = 4, bool includeReasoning = false)
    {
        var target = Path.GetFullPath(path);
        int written = 0, belowRating = 0, emptyAnswer = 0;
        AtomicFile.WriteText(target, writer =>
        {
            foreach (var rated in store.RatedCompletions())
            {
                if (rated.Correction is null && rated.Rating < minRating)
                {
                    belowRating++;
                    continue;
                }
                var answer = Answer(rated, includeReasoning);
                if (string.IsNullOrWhiteSpace(answer))
                {
                    emptyAnswer++;
                    continue;
                }
                writer.WriteLine(Record(rated, answer).ToJsonString(Json));
                written++;
            }
        });
        return new FeedbackExportResult(target, written, belowRating, emptyAnswer);
    }

    public static JsonObject Record(RatedCompletion rated, string answer)
    {
        var completion = rated.Completion;
        var messages = new JsonArray();
        // Clean takes one system message, first: several are joined as the chat templates join them.
        var system = string.Join("\n\n", completion.Messages.Where(m => m.Role == ChatRoles.System).Select(m => m.Content));
        if (system.Length > 0) messages.Add(Message(ChatRoles.System, system));
        foreach (var message in completion.Messages.Where(m => m.Role != ChatRoles.System)) messages.Add(Message(message.Role, message.Content));
        messages.Add(Message(ChatRoles.Assistant, answer));
        var record = new JsonObject
        {
            ["id"] = $"feedback-{completion.Id}",
            ["category"] = Category,
            ["messages"] = messages,
            ["rating"] = rated.Rating,
            ["corrected"] = rated.Correction is not null,
            ["model"] = completion.Model,
            ["response_id"] = completion.Id,
        };
        if (rated.Comment is { Length: > 0 } comment) record["comment"] = comment;
        return record;
    }

    private static string Answer(RatedCompletion rated, bool includeReasoning)
    {
        if (rated.Correction is not null) return rated.Correction;
        var completion = rated.Completion;
        return includeReasoning && completion.Reasoning is { } reasoning
            ? $"<think>\n{reasoning}\n</think>\n\n{completion.Answer}"
            : completion.Answer;
    }

    private static JsonObject Message(string role, string content) => new() { ["role"] = role, ["content"] = content };
}
