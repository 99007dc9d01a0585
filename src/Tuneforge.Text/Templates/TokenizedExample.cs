namespace Tuneforge.Text;

/// <summary>A rendered training conversation: token ids and, per position, whether the loss counts there.</summary>
/// <param name="InputIds">The token ids, BOS included where the template has one.</param>
/// <param name="LossMask">True where the token is part of an assistant response or its end token.</param>
public sealed record TokenizedExample(int[] InputIds, bool[] LossMask)
{
    /// <summary>Number of tokens.</summary>
    public int Length => InputIds.Length;

    /// <summary>Number of positions the loss counts.</summary>
    public int TrainedTokenCount => LossMask.Count(trained => trained);

    /// <summary>
    /// Tokenizes rendered runs one by one, as generation encodes the prompt and then appends what the model produces,
    /// so the mask follows the runs' positions.
    /// </summary>
    public static TokenizedExample FromSegments(IReadOnlyList<TemplateSegment> segments, HfTokenizer tokenizer)
    {
        var ids = new List<int>();
        var mask = new List<bool>();
        foreach (TemplateSegment segment in segments)
        {
            int[] segmentIds = tokenizer.Encode(segment.Text);
            ids.AddRange(segmentIds);
            mask.AddRange(Enumerable.Repeat(segment.Trained, segmentIds.Length));
        }

        return new TokenizedExample([.. ids], [.. mask]);
    }

    /// <summary>The ids of the stop strings that are single tokens, and EOS.</summary>
    internal static IReadOnlyList<int> StopTokenIds(IEnumerable<string> stopStrings, HfTokenizer tokenizer)
    {
        var ids = stopStrings.Select(tokenizer.TokenToId).OfType<int>().ToList();
        if (tokenizer.EosId is int eos)
        {
            ids.Add(eos);
        }

        return ids.Distinct().ToArray();
    }

    /// <summary>Labels in Hugging Face's convention: the id where trained, <paramref name="ignoreIndex"/> elsewhere (not shifted).</summary>
    public int[] Labels(int ignoreIndex = -100)
    {
        var labels = new int[InputIds.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = LossMask[i] ? InputIds[i] : ignoreIndex;
        }

        return labels;
    }
}
