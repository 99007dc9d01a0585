namespace Tuneforge.Data.Training;

/// <summary>Two encodings of one prompt: with the chosen and with the rejected answer (loss masks on the answers).</summary>
public sealed record PreferencePair(EncodedExample Chosen, EncodedExample Rejected);

/// <summary>KTO's unpaired example: a prompt and answer, and whether the answer is desirable.</summary>
public sealed record LabelledExample(EncodedExample Example, bool Desirable)
{
    /// <summary>The prompt part (tokens before the first trained one) of an encoded example.</summary>
    public static int PromptLength(EncodedExample example)
    {
        var first = Array.IndexOf(example.LossMask, true);
        return first < 0 ? example.Length : first;
    }

    /// <summary>TRL's KL dataset: example i's prompt with example i−1's answer (the first takes the last's), so the
    /// batch estimates how far the policy moved on answers that do not belong to the prompt.</summary>
    public static IReadOnlyList<EncodedExample> Mismatched(IReadOnlyList<LabelledExample> examples)
    {
        var result = new EncodedExample[examples.Count];
        for (var i = 0; i < examples.Count; i++)
        {
            var own = examples[i].Example;
            var other = examples[(i - 1 + examples.Count) % examples.Count].Example;
            var promptLength = PromptLength(own);
            var answerStart = PromptLength(other);
            int[] ids = [.. own.InputIds.AsSpan(0, promptLength), .. other.InputIds.AsSpan(answerStart)];
            bool[] mask = [.. new bool[promptLength], .. other.LossMask.AsSpan(answerStart)];
            result[i] = new EncodedExample($"{own.Id}~{other.Id}", ids, mask, ids.Length);
        }
        return result;
    }
}
