using Tuneforge.Text;

namespace Tuneforge.Data.Training;

/// <summary>
/// Renders records with the chat template (prompt masked, responses and their end token trained, by position) and
/// truncates them to <c>max_seq_length</c> tokens, keeping the beginning as TRL's SFTTrainer does. The one encoder of
/// training examples: Train, Evaluate's perplexity and Quantize's check in the engine, and Inspect in the build.
/// </summary>
public sealed class ExampleEncoder(HfTokenizer tokenizer, ChatSetup chat, int maxSeqLength)
{
    public ExampleEncoder(HfTokenizer tokenizer, IChatTemplate template, ChatRenderOptions options, string? systemPrompt, int maxSeqLength)
        : this(tokenizer, new ChatSetup(template, options, systemPrompt), maxSeqLength)
    {
    }

    public int MaxSeqLength => maxSeqLength;

    public (IReadOnlyList<EncodedExample> Examples, DataSummary Summary) Encode(IReadOnlyList<TrainingRecord> records)
    {
        var examples = new List<EncodedExample>(records.Count);
        var (truncated, truncatedTokens, dropped, longest, undesirable) = (0, 0L, 0, 0, 0);
        foreach (var record in records)
        {
            if (record.Label == false)
            {
                undesirable++;
                continue;
            }
            var rendered = Render(record);
            longest = Math.Max(longest, rendered.Length);
            var example = Truncate(record.Id, rendered);
            if (example.Truncated)
            {
                truncated++;
                truncatedTokens += rendered.Length - example.Length;
            }
            if (example.TrainedTokens == 0)
            {
                dropped++;
                continue;
            }
            examples.Add(example);
        }
        var summary = new DataSummary(records.Count, examples.Count, examples.Sum(e => (long)e.Length), examples.Sum(e => (long)e.TrainedTokens),
            truncated, truncatedTokens, dropped, longest) { Undesirable = undesirable };
        return (examples, summary);
    }

    /// <summary>The whole rendering of a record, before truncation.</summary>
    /// <exception cref="ChatTemplateException">The record cannot be rendered; the message names it and what to do.</exception>
    public TokenizedExample Render(TrainingRecord record)
    {
        try
        {
            return chat.Template.RenderTraining(chat.WithSystemPrompt(record.Messages), tokenizer, chat.Options);
        }
        catch (ChatTemplateException e)
        {
            throw new ChatTemplateException($"{record.Location} (id {record.Id}): {e.Message} Fix or remove the record and run Clean and Split again.");
        }
    }

    /// <summary>The first max_seq_length tokens of a rendering.</summary>
    public EncodedExample Truncate(string id, TokenizedExample rendered)
    {
        var length = Math.Min(rendered.Length, maxSeqLength);
        return new EncodedExample(id, rendered.InputIds[..length], rendered.LossMask[..length], rendered.Length);
    }
}
