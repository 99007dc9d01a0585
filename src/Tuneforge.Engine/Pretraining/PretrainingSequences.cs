using Tuneforge.Data.Training;

namespace Tuneforge.Engine.Pretraining;

/// <summary>Packed sequences as the trainer's examples: every token after the leading BOS carries loss.</summary>
public static class PretrainingSequences
{
    public static IReadOnlyList<EncodedExample> Examples(IReadOnlyList<int[]> sequences, string prefix)
    {
        var examples = new EncodedExample[sequences.Count];
        for (var i = 0; i < sequences.Count; i++)
        {
            var ids = sequences[i];
            var mask = new bool[ids.Length];
            Array.Fill(mask, true);
            mask[0] = false;
            examples[i] = new EncodedExample($"{prefix}-{i}", ids, mask, ids.Length);
        }
        return examples;
    }

    /// <summary>At most <paramref name="limit"/> sequences spread evenly over the list (all when 0), so a capped
    /// evaluation still samples every source.</summary>
    public static IReadOnlyList<T> Spread<T>(IReadOnlyList<T> items, int limit)
    {
        if (limit <= 0 || limit >= items.Count) return items;
        return [.. Enumerable.Range(0, limit).Select(i => items[(int)((long)i * items.Count / limit)])];
    }

    /// <summary>train.max_steps for a token budget: whole steps of batch × accumulation × seq_length tokens.</summary>
    public static int StepsFor(long maxTokens, int batch, int accumulation, int seqLength) =>
        (int)Math.Min(int.MaxValue, (maxTokens + (long)batch * accumulation * seqLength - 1) / ((long)batch * accumulation * seqLength));
}
