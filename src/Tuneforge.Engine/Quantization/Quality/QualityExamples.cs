using Tuneforge.Data.Training;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Training.Data;
using Tuneforge.Text;

namespace Tuneforge.Engine.Quantization.Quality;

/// <summary>One test example as the quality measures use it: rendered for perplexity, and as a prompt with its reference answer.</summary>
public sealed record QualityExample(string Id, EncodedExample Encoded, int[] Prompt, string Reference);

/// <summary>Builds <see cref="QualityExample"/>s from split records with the chat template the model was trained with.</summary>
public static class QualityExamples
{
    public static IReadOnlyList<QualityExample> Build(IReadOnlyList<TrainingRecord> records, HfTokenizer tokenizer, ChatSetup chat, int maxSeqLength)
    {
        var encoder = new ExampleEncoder(tokenizer, chat.Template, chat.Options, chat.SystemPrompt, maxSeqLength);
        var (encoded, _) = encoder.Encode(records);
        var byId = encoded.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var examples = new List<QualityExample>();
        foreach (var record in records)
        {
            if (!byId.TryGetValue(record.Id, out var example) || record.Messages[^1].Role != ChatRoles.Assistant) continue;
            var promptMessages = chat.WithSystemPrompt(record.Messages.Take(record.Messages.Count - 1).ToList());
            examples.Add(new QualityExample(record.Id, example, chat.Template.RenderPrompt(promptMessages, tokenizer, chat.Options), record.Messages[^1].Content));
        }
        return examples;
    }
}
