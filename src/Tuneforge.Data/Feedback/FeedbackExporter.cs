using Tuneforge.Data.Review;
using Tuneforge.Text;

namespace Tuneforge.Data.Feedback;

/// <summary>What an export wrote and what it left out.</summary>
public sealed record FeedbackExportResult(string Path, int Written, int BelowRating, int EmptyAnswer);

/// <summary>
/// Turns rated responses into a chat dataset of <see cref="ReviewedAnswer"/> lines (the format the review sheet import
/// makes too) that the pipeline's Clean reads as it reads any source: the guide's feedback loop, closed. A correction
/// is always a preference pair (chosen = the correction, rejected = the model's answer), which SFT trains as the
/// correction. Without <c>preferences</c> an uncorrected response enters when its latest rating reaches
/// <c>minRating</c>; with it every rated response enters, labelled (KTO) by whether its rating reaches it. Rating,
/// comment and model travel as metadata.
/// </summary>
public static class FeedbackExporter
{
    public const string Category = "feedback";

    public static FeedbackExportResult Export(FeedbackStore store, string path, int minRating = 4, bool includeReasoning = false, bool preferences = false)
    {
        int belowRating = 0, emptyAnswer = 0;
        IEnumerable<ReviewedAnswer> Answers()
        {
            foreach (var rated in store.RatedCompletions())
            {
                if (rated.Correction is null && rated.Rating < minRating && !preferences)
                {
                    belowRating++;
                    continue;
                }
                var answer = rated.Correction ?? rated.Completion.Answer;
                if (string.IsNullOrWhiteSpace(answer))
                {
                    emptyAnswer++;
                    continue;
                }
                var record = Record(rated, answer, includeReasoning && rated.Correction is null ? rated.Completion.Reasoning : null);
                yield return preferences && rated.Correction is null ? record with { Label = rated.Rating >= minRating } : record;
            }
        }
        var written = ReviewedAnswerJson.WriteFile(path, Answers());
        return new FeedbackExportResult(Path.GetFullPath(path), written, belowRating, emptyAnswer);
    }

    public static ReviewedAnswer Record(RatedCompletion rated, string answer, string? reasoning = null)
    {
        var completion = rated.Completion;
        // Clean takes one system message, first: several are joined as the chat templates join them.
        var system = string.Join("\n\n", completion.Messages.Where(m => m.Role == ChatRoles.System).Select(m => m.Content));
        var messages = new List<ChatMessage>();
        if (system.Length > 0) messages.Add(ChatMessage.System(system));
        messages.AddRange(completion.Messages.Where(m => m.Role != ChatRoles.System).Select(m => new ChatMessage(m.Role, m.Content)));
        messages.Add(ChatMessage.Assistant(answer, reasoning));
        var replaced = rated.Correction is not null && !string.IsNullOrWhiteSpace(completion.Answer) && completion.Answer != answer;
        return new ReviewedAnswer($"feedback-{completion.Id}", Category, messages, rated.Rating, rated.Correction is not null)
        {
            Comment = rated.Comment,
            Model = completion.Model,
            ResponseId = completion.Id,
            Rejected = replaced ? completion.Answer : null,
        };
    }
}
