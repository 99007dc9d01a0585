namespace Tuneforge.Text.Tests;

/// <summary>Reads a loss mask back as text: the decoded runs of trained tokens.</summary>
internal static class MaskView
{
    public static IReadOnlyList<string> TrainedRuns(TokenizedExample example, HfTokenizer tokenizer) => Runs(example, tokenizer, trained: true);

    public static IReadOnlyList<string> PromptRuns(TokenizedExample example, HfTokenizer tokenizer) => Runs(example, tokenizer, trained: false);

    private static List<string> Runs(TokenizedExample example, HfTokenizer tokenizer, bool trained)
    {
        var runs = new List<string>();
        var current = new List<int>();
        for (int i = 0; i <= example.Length; i++)
        {
            if (i < example.Length && example.LossMask[i] == trained)
            {
                current.Add(example.InputIds[i]);
            }
            else if (current.Count > 0)
            {
                runs.Add(tokenizer.Decode(current));
                current.Clear();
            }
        }

        return runs;
    }
}
