using Tuneforge.Text;

namespace Tuneforge.Data.Training;

/// <summary>What encoding preference records counted: pairs and labelled answers kept, records of the other kind left
/// out (a DPO run meets a KTO label, or an SFT record without a preference), and truncations as TRL makes them.</summary>
public sealed record PreferenceSummary(int Records, int Pairs, int Labelled, int WithoutPreference, int PromptsTruncated, int AnswersTruncated);

/// <summary>
/// Encodes preference records for DPO/ORPO/SimPO (pairs) and KTO (labelled answers; a pair gives a desirable and an
/// undesirable one, as TRL unpairs it) with the chat template of SFT. Only the final answer is trained. Too long:
/// the prompt keeps its last max_prompt_length tokens, then the answer is cut to fit max_length (TRL's keep_end).
/// </summary>
public sealed class PreferenceEncoder(ExampleEncoder encoder, int maxPromptLength, int maxLength)
{
    public (IReadOnlyList<PreferencePair> Pairs, PreferenceSummary Summary) EncodePairs(IReadOnlyList<TrainingRecord> records)
    {
        var pairs = new List<PreferencePair>();
        var counts = new Counts();
        foreach (var record in records)
        {
            if (record.Rejected is not { } rejected)
            {
                counts.Without++;
                continue;
            }
            var chosen = Encode(record, record.Messages, counts);
            var worse = Encode(record, [.. record.Messages.Take(record.Messages.Count - 1), ChatMessage.Assistant(rejected)], counts);
            if (chosen.TrainedTokens > 0 && worse.TrainedTokens > 0) pairs.Add(new PreferencePair(chosen, worse));
        }
        return (pairs, counts.Summary(records.Count, pairs.Count, 0));
    }

    public (IReadOnlyList<LabelledExample> Examples, PreferenceSummary Summary) EncodeLabelled(IReadOnlyList<TrainingRecord> records)
    {
        var examples = new List<LabelledExample>();
        var counts = new Counts();
        foreach (var record in records)
        {
            if (record.Label is { } label) examples.Add(new LabelledExample(Encode(record, record.Messages, counts), label));
            else if (record.Rejected is { } rejected)
            {
                examples.Add(new LabelledExample(Encode(record, record.Messages, counts), true));
                examples.Add(new LabelledExample(Encode(record, [.. record.Messages.Take(record.Messages.Count - 1), ChatMessage.Assistant(rejected)], counts), false));
            }
            else counts.Without++;
        }
        examples.RemoveAll(e => e.Example.TrainedTokens == 0);
        return (examples, counts.Summary(records.Count, 0, examples.Count));
    }

    EncodedExample Encode(TrainingRecord record, IReadOnlyList<ChatMessage> messages, Counts counts)
    {
        var rendered = encoder.Render(record with { Messages = messages });
        // The final answer is the last run of trained tokens; earlier assistant turns are prompt here.
        var end = Array.LastIndexOf(rendered.LossMask, true) + 1;
        var start = end == 0 ? rendered.Length : Array.LastIndexOf(rendered.LossMask, false, end - 1) + 1;
        var promptIds = rendered.InputIds[..start];
        var answerIds = rendered.InputIds[start..];
        var answerMask = rendered.LossMask[start..];
        if (promptIds.Length + answerIds.Length > maxLength)
        {
            if (promptIds.Length > maxPromptLength)
            {
                promptIds = promptIds[^maxPromptLength..];
                counts.Prompts++;
            }
            var room = maxLength - promptIds.Length;
            if (answerIds.Length > room)
            {
                (answerIds, answerMask) = (answerIds[..room], answerMask[..room]);
                counts.Answers++;
            }
        }
        int[] ids = [.. promptIds, .. answerIds];
        bool[] mask = [.. new bool[promptIds.Length], .. answerMask];
        return new EncodedExample(record.Id, ids, mask, rendered.Length);
    }

    sealed class Counts
    {
        public int Without, Prompts, Answers;
        public PreferenceSummary Summary(int records, int pairs, int labelled) => new(records, pairs, labelled, Without, Prompts, Answers);
    }
}
