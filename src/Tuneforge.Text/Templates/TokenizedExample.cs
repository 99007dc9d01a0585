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
