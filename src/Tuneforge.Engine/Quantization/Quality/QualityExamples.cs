using Tuneforge.Engine.Training.Data;
using Tuneforge.Text;

namespace Tuneforge.Engine.Quantization.Quality;

/// <summary>One test example as the quality measures use it: rendered for perplexity, and as a prompt with its reference answer.</summary>
public sealed record QualityExample(string Id, EncodedExample Encoded, int[] Prompt, string Reference);

/// <summary>Builds <see cref="QualityExample"/>s from split records with the chat template the model was trained with.</summary>
public static class QualityExamples
{
    public static IReadOnlyList<QualityExample> Build(IReadOnlyList<TrainingRecord> records, HfTokenizer tokenizer, IChatTemplate template,
        ChatRenderOptions options, string? systemPrompt, int maxSeqLength)
    {
        var encoder = new ExampleEncoder(tokenizer, template, options, systemPrompt, maxSeqLength);
        var (encoded, _) = encoder.Encode(records);
        var byId = encoded.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var examples = new List<QualityExample>();
        foreach (var record in records)
        {
            if (!byId.TryGetValue(record.Id, out var example) || record.Messages[^1].Role != ChatRoles.Assistant) continue;
            var promptMessages = record.Messages.Take(record.Messages.Count - 1).ToList();
            if (!string.IsNullOrEmpty(systemPrompt) && promptMessages.All(m => m.Role != ChatRoles.System))
                promptMessages.Insert(0, ChatMessage.System(systemPrompt));
            examples.Add(new QualityExample(record.Id, example, template.RenderPrompt(promptMessages, tokenizer, options), record.Messages[^1].Content));
        }
        return examples;
    }
}
