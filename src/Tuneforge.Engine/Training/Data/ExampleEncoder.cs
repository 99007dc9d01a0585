using Tuneforge.Engine.Runtime;
using Tuneforge.Text;

namespace Tuneforge.Engine.Training.Data;

/// <summary>
/// Renders records with the chat template (prompt masked, responses and their end token trained, by position) and
/// truncates them to <c>max_seq_length</c> tokens, keeping the beginning as TRL's SFTTrainer does.
/// </summary>
public sealed class ExampleEncoder(HfTokenizer tokenizer, IChatTemplate template, ChatRenderOptions options, string? systemPrompt, int maxSeqLength)
{
    public (IReadOnlyList<EncodedExample> Examples, DataSummary Summary) Encode(IReadOnlyList<TrainingRecord> records)
    {
        var examples = new List<EncodedExample>(records.Count);
        var (truncated, truncatedTokens, dropped, longest) = (0, 0L, 0, 0);
        foreach (var record in records)
        {
            TokenizedExample rendered;
            try
            {
                rendered = template.RenderTraining(WithSystemPrompt(record.Messages), tokenizer, options);
            }
            catch (ChatTemplateException e)
            {
                throw new EngineException($"{record.Location} (id {record.Id}): {e.Message}", "Fix or remove the record and run Clean and Split again.");
            }
            longest = Math.Max(longest, rendered.Length);
            var length = Math.Min(rendered.Length, maxSeqLength);
            var example = new EncodedExample(record.Id, rendered.InputIds[..length], rendered.LossMask[..length], rendered.Length);
            if (example.Truncated)
            {
                truncated++;
                truncatedTokens += rendered.Length - length;
            }
            if (example.TrainedTokens == 0)
            {
                dropped++;
                continue;
            }
            examples.Add(example);
        }
        var summary = new DataSummary(records.Count, examples.Count, examples.Sum(e => (long)e.Length), examples.Sum(e => (long)e.TrainedTokens),
            truncated, truncatedTokens, dropped, longest);
        return (examples, summary);
    }

    private IReadOnlyList<ChatMessage> WithSystemPrompt(IReadOnlyList<ChatMessage> messages) =>
        string.IsNullOrEmpty(systemPrompt) || messages.Any(m => m.Role == ChatRoles.System)
            ? messages
            : [ChatMessage.System(systemPrompt), .. messages];
}
