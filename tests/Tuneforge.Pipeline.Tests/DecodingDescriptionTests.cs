using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Pipeline.Tests;

public sealed class DecodingDescriptionTests
{
    [Fact]
    public void Greedy_evaluation_is_described_with_its_token_budget()
        => Assert.Equal("greedy decoding, at most 256 new tokens", new EvaluateSpec().DecodingDescription());

    [Fact]
    public void Sampled_evaluation_names_every_setting_that_shapes_the_answers()
    {
        var spec = new EvaluateSpec { DoSample = true, Temperature = 0.6, TopP = 0.95, TopK = 20, RepetitionPenalty = 1.1, Seed = 7, MaxNewTokens = 64 };
        Assert.Equal("sampling at temperature 0.6, top_p 0.95, top_k 20, seed 7, repetition penalty 1.1, at most 64 new tokens", spec.DecodingDescription());
    }
}
