using Tuneforge.Engine.Generation;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests;

public sealed class TokenSamplerTests
{
    [Fact]
    public void Repetition_penalty_divides_positive_and_multiplies_negative_scores_of_seen_tokens()
    {
        // Greedy after the penalty: token 0 (2.0 → 1.0) falls below token 2 (1.5, unseen).
        using var logits = tensor(new float[] { 2.0f, -1.0f, 1.5f }).view(1, 3);
        List<int>[] seen = [[0, 1]];
        Assert.Equal(0, new TokenSampler([TokenSampling.Greedy]).Next(logits, seen)[0]);
        Assert.Equal(2, new TokenSampler([TokenSampling.Greedy with { RepetitionPenalty = 2.0 }]).Next(logits, seen)[0]);
    }

    [Fact]
    public void Top_p_keeps_the_smallest_set_reaching_p_and_top_k_the_k_best()
    {
        // Probabilities 0.5, 0.3, 0.2: top_p 0.6 keeps {0, 1}, top_p 0.5 keeps {0}; top_k 2 keeps {0, 1}.
        const int rows = 4000;
        using var logits = log(tensor(new float[] { 0.5f, 0.3f, 0.2f })).view(1, 3).expand(rows, 3).contiguous();
        var seen = Enumerable.Range(0, rows).Select(_ => new List<int> { 0 }).ToArray();
        int[] Counts(TokenSampling settings)
        {
            var sampler = new TokenSampler(Enumerable.Range(0, rows).Select(r => settings with { Temperature = 1.0, Seed = r }).ToList());
            var values = sampler.Next(logits, seen);
            return Enumerable.Range(0, 3).Select(t => values.Count(v => v == t)).ToArray();
        }
        var nucleus = Counts(new TokenSampling(TopP: 0.6));
        Assert.Equal(0, nucleus[2]);
        Assert.InRange(nucleus[0] / (double)rows, 0.58, 0.67);   // 0.5 / 0.8 = 0.625
        Assert.Equal([rows, 0, 0], Counts(new TokenSampling(TopP: 0.5)));
        var topK = Counts(new TokenSampling(TopK: 2));
        Assert.Equal(0, topK[2]);
        Assert.True(topK[1] > 1000);
        var all = Counts(new TokenSampling());
        Assert.InRange(all[2] / (double)rows, 0.17, 0.23);
    }

    [Fact]
    public void A_rows_draws_depend_on_its_own_seed_not_on_its_batch_neighbours()
    {
        using var logits = randn(3, 50, generator: new Generator(4));
        List<int>[] seen = [[0], [0], [0]];
        var alone = new TokenSampler([new TokenSampling(1.0, Seed: 7)]);
        var inBatch = new TokenSampler([new TokenSampling(1.0, Seed: 7), new TokenSampling(0.5, TopK: 3, Seed: 1), TokenSampling.Greedy]);
        using var first = logits.narrow(0, 0, 1);
        for (var draw = 0; draw < 20; draw++)
            Assert.Equal(alone.Next(first, [seen[0]])[0], inBatch.Next(logits, seen)[0]);
    }
}
