using Tuneforge.Engine.Generation;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Tests.TestSupport;

namespace Tuneforge.Engine.Tests;

public sealed class GenerationTests : IDisposable
{
    private readonly CausalLM _model = TinyModels.Random(TinyModels.Qwen2(), seed: 21);
    private static readonly TokenDecoder Decode = ids => string.Concat(ids.Select(id => $"<{id}>"));
    private static readonly IReadOnlyList<int>[] Prompts = [[5, 9, 13, 2, 40, 41], [7, 3], [60, 61, 62, 63]];

    public void Dispose() => _model.Dispose();

    private IReadOnlyList<GeneratedSequence> Run(GenerationOptions options, IReadOnlyList<IReadOnlyList<int>>? prompts = null, Action<GeneratedToken>? onToken = null) =>
        new TextGenerator(_model, Decode).Generate(prompts ?? Prompts, options, onToken);

    [Fact]
    public void Greedy_tokens_are_the_same_with_and_without_the_KV_cache()
    {
        var cached = Run(new GenerationOptions { MaxNewTokens = 24 });
        var recomputed = Run(new GenerationOptions { MaxNewTokens = 24, UseKvCache = false });
        Assert.Equal(cached.Select(s => s.Tokens), recomputed.Select(s => s.Tokens));
        Assert.All(cached, s => Assert.Equal(24, s.Tokens.Length));
        Assert.True(cached.SelectMany(s => s.Tokens).Distinct().Count() > 3, "the model repeats one token: the test would not notice errors");
    }

    [Fact]
    public void A_left_padded_batch_gives_the_same_greedy_tokens_as_each_prompt_alone()
    {
        var batch = Run(new GenerationOptions { MaxNewTokens = 16 });
        for (var i = 0; i < Prompts.Length; i++)
        {
            var single = Run(new GenerationOptions { MaxNewTokens = 16 }, [Prompts[i]]);
            Assert.Equal(single[0].Tokens, batch[i].Tokens);
        }
    }

    [Fact]
    public void Seeded_sampling_is_reproducible_and_the_seed_matters()
    {
        var options = new GenerationOptions { MaxNewTokens = 20, DoSample = true, Temperature = 1.5, Seed = 123 };
        var first = Run(options);
        var again = Run(options);
        var otherSeed = Run(options with { Seed = 124 });
        Assert.Equal(first.Select(s => s.Tokens), again.Select(s => s.Tokens));
        Assert.NotEqual(first.SelectMany(s => s.Tokens), otherSeed.SelectMany(s => s.Tokens));
    }

    [Fact]
    public void Sampling_restricted_to_one_token_is_greedy()
    {
        var greedy = Run(new GenerationOptions { MaxNewTokens = 12 });
        var topK = Run(new GenerationOptions { MaxNewTokens = 12, DoSample = true, TopK = 1, Seed = 5 });
        var topP = Run(new GenerationOptions { MaxNewTokens = 12, DoSample = true, TopP = 1e-6, Seed = 6 });
        Assert.Equal(greedy.Select(s => s.Tokens), topK.Select(s => s.Tokens));
        Assert.Equal(greedy.Select(s => s.Tokens), topP.Select(s => s.Tokens));
    }

    [Fact]
    public void Generation_stops_at_an_eos_id_and_leaves_it_out_of_the_text()
    {
        var free = Run(new GenerationOptions { MaxNewTokens = 10 }, [Prompts[0]])[0];
        var eos = free.Tokens[3];
        var firstAt = Array.IndexOf(free.Tokens, eos);

        var stopped = Run(new GenerationOptions { MaxNewTokens = 10, EosTokenIds = [eos] }, [Prompts[0]])[0];
        Assert.Equal(FinishReason.Eos, stopped.FinishReason);
        Assert.Equal(free.Tokens[..(firstAt + 1)], stopped.Tokens);
        Assert.Equal(Decode(free.Tokens[..firstAt]), stopped.Text);
    }

    [Fact]
    public void Generation_stops_at_a_stop_string_and_cuts_the_text_before_it()
    {
        var free = Run(new GenerationOptions { MaxNewTokens = 10 }, [Prompts[1]])[0];
        var stop = $"<{free.Tokens[4]}>";
        var expectedText = Decode(free.Tokens)[..Decode(free.Tokens).IndexOf(stop, StringComparison.Ordinal)];

        var stopped = Run(new GenerationOptions { MaxNewTokens = 10, StopStrings = [stop] }, [Prompts[1]])[0];
        Assert.Equal(FinishReason.StopString, stopped.FinishReason);
        Assert.Equal(expectedText, stopped.Text);
        Assert.Equal(FinishReason.Length, free.FinishReason);
    }

    [Fact]
    public void The_callback_streams_every_token_and_the_deltas_add_up_to_the_text()
    {
        var streamed = new List<GeneratedToken>();
        var result = Run(new GenerationOptions { MaxNewTokens = 8 }, onToken: streamed.Add);
        for (var i = 0; i < Prompts.Length; i++)
        {
            var mine = streamed.Where(t => t.SequenceIndex == i).ToList();
            Assert.Equal(result[i].Tokens, mine.Select(t => t.TokenId));
            Assert.Equal(Enumerable.Range(0, 8), mine.Select(t => t.Step));
            Assert.Equal(result[i].Text, string.Concat(mine.Select(t => t.TextDelta)));
        }
    }

    [Fact]
    public void Out_of_vocabulary_prompt_ids_and_bad_settings_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Run(new GenerationOptions(), [[1, 500]]));
        Assert.Contains("token id 500", error.Message);
        Assert.Contains("token id -3", Assert.Throws<ArgumentException>(() => Run(new GenerationOptions(), [[1, -3]])).Message);
        Assert.Throws<ArgumentException>(() => Run(new GenerationOptions { TopP = 0 }));
        Assert.Throws<ArgumentException>(() => Run(new GenerationOptions { DoSample = true, Temperature = 0 }));
    }
}
