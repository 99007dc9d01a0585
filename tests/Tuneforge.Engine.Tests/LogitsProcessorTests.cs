using Tuneforge.Engine.Generation;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests;

public sealed class LogitsProcessorTests
{
    [Fact]
    public void Repetition_penalty_divides_positive_and_multiplies_negative_scores_of_seen_tokens()
    {
        // Greedy after the penalty: token 0 (2.0 → 1.0) falls below token 2 (1.5, unseen).
        using var logits = tensor(new float[] { 2.0f, -1.0f, 1.5f }).view(1, 3);
        using var seen = tensor(new long[] { 0, 1 }).view(1, 2);
        using var plain = LogitsProcessor.NextTokens(logits, seen, new GenerationOptions(), null);
        using var penalized = LogitsProcessor.NextTokens(logits, seen, new GenerationOptions { RepetitionPenalty = 2.0 }, null);
        Assert.Equal(0, plain.item<long>());
        Assert.Equal(2, penalized.item<long>());
    }

    [Fact]
    public void Top_p_keeps_the_smallest_set_reaching_p_and_top_k_the_k_best()
    {
        // Probabilities 0.5, 0.3, 0.2: top_p 0.6 keeps {0, 1}, top_p 0.5 keeps {0}; top_k 2 keeps {0, 1}.
        using var logits = log(tensor(new float[] { 0.5f, 0.3f, 0.2f })).view(1, 3).expand(4000, 3).contiguous();
        using var seen = zeros(4000, 1, ScalarType.Int64);
        using var generator = new Generator(9);
        int[] Counts(GenerationOptions options)
        {
            using var picks = LogitsProcessor.NextTokens(logits, seen, options with { DoSample = true }, generator);
            var values = picks.data<long>().ToArray();
            return Enumerable.Range(0, 3).Select(t => values.Count(v => v == t)).ToArray();
        }
        var nucleus = Counts(new GenerationOptions { TopP = 0.6 });
        Assert.Equal(0, nucleus[2]);
        Assert.InRange(nucleus[0] / 4000.0, 0.58, 0.67);   // 0.5 / 0.8 = 0.625
        Assert.Equal([4000, 0, 0], Counts(new GenerationOptions { TopP = 0.5 }));
        var topK = Counts(new GenerationOptions { TopK = 2 });
        Assert.Equal(0, topK[2]);
        Assert.True(topK[1] > 1000);
    }
}
