using Tuneforge.Pipeline.Loading;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Pipeline.Tests;

public class DataSpecRuleTests
{
    const string Sources = "name: demo\ndata:\n  sources: [data/a.jsonl]\n";

    static string ErrorOf(string yaml) => Assert.Throws<SpecException>(() => SpecLoader.Parse(yaml, "pipelines/demo.yaml")).Message;

    [Fact]
    public void Mix_entries_bind_with_their_weights_names_and_columns()
    {
        var spec = SpecLoader.Parse(Sources + "  weight: 0.7\n  mix:\n    - path: data/general.parquet\n      name: general\n      weight: 0.3\n      columns: {instruction: q, response: a}\n", "p.yaml");
        var mix = Assert.Single(spec.Data.Mix);
        Assert.Equal(("data/general.parquet", "general", 0.3), (mix.Path, mix.Name, mix.Weight!.Value));
        Assert.Equal("q", mix.Columns!["instruction"]);
        Assert.Equal(0.7, spec.Data.Weight);
        Assert.Equal(MixStrategy.InterleaveUnder, spec.Data.MixStrategy);
    }

    [Fact]
    public void Weights_that_do_not_sum_to_one_with_data_weight_are_refused_with_the_sum_and_the_yaml_path()
    {
        var message = ErrorOf(Sources + "  weight: 0.7\n  mix:\n    - path: g.jsonl\n      weight: 0.2\n    - path: h.jsonl\n      weight: 0.2\n");
        Assert.Equal("pipelines/demo.yaml:6:5: data.mix: the interleave probabilities must sum to 1, but data.weight 0.7 + data.mix[0].weight 0.2 + data.mix[1].weight 0.2 = 1.1. " +
                     "Change them, or remove data.weight to give data.sources the rest (1 minus the mix weights).", message);
    }

    [Fact]
    public void Mix_weights_that_leave_nothing_for_the_sources_are_refused()
    {
        var message = ErrorOf(Sources + "  mix:\n    - {path: g.jsonl, weight: 0.6}\n    - {path: h.jsonl, weight: 0.4}\n");
        Assert.Equal("pipelines/demo.yaml:5:5: data.mix: the mix weights sum to 1 (data.mix[0].weight 0.6 + data.mix[1].weight 0.4), leaving nothing for data.sources: " +
                     "they are probabilities and must sum to less than 1 (data.sources' train records take the rest).", message);
    }

    [Fact]
    public void An_interleave_needs_a_weight_per_entry_and_concat_takes_none()
    {
        Assert.Equal("pipelines/demo.yaml:5:7: data.mix[0].weight: is required with mix_strategy: interleave_over: the probability that the next train record comes from this source, e.g. weight: 0.2.",
            ErrorOf(Sources + "  mix:\n    - path: g.jsonl\n  mix_strategy: interleave_over\n"));
        Assert.Equal("pipelines/demo.yaml:5:31: data.mix[0].weight: is not used with mix_strategy: concat (every record of every source is taken); remove it, or choose interleave_under or interleave_over.",
            ErrorOf(Sources + "  mix:\n    - {path: g.jsonl, weight: 0.5}\n  mix_strategy: concat\n"));
    }

    [Fact]
    public void A_weight_outside_zero_to_one_and_a_missing_path_name_their_entry()
    {
        var message = ErrorOf(Sources + "  mix:\n    - {path: g.jsonl, weight: 1.5}\n    - {weight: 0.1}\n");
        Assert.Contains("pipelines/demo.yaml:5:31: data.mix[0].weight: must be > 0 and <= 1 (got 1.5).", message);
        Assert.Contains("data.mix[1].path: is required.", message);
    }

    [Fact]
    public void Balance_needs_something_to_do_and_proportions_alone()
    {
        Assert.Equal("pipelines/demo.yaml:6:5: split.balance: says nothing to do: set max_per_group (cap), min_per_group (floor), or proportions.",
            ErrorOf(Sources + "split:\n  balance:\n    by: category\n"));
        var message = ErrorOf(Sources + "split:\n  balance:\n    max_per_group: 10\n    proportions: {a: 0.6, b: 0.3}\n");
        Assert.Contains("split.balance.proportions: cannot be combined with max_per_group or min_per_group", message);
        Assert.Contains("split.balance.proportions: must sum to 1 (0.6 + 0.3 = 0.9).", message);
        var spec = SpecLoader.Parse(Sources + "split:\n  balance:\n    by: source\n    min_per_group: 20\n    max_per_group: 200\n", "p.yaml");
        Assert.Equal(("source", 20, 200), (spec.Split.Balance!.By, spec.Split.Balance.MinPerGroup!.Value, spec.Split.Balance.MaxPerGroup!.Value));
    }

    [Fact]
    public void Feedback_binds_its_settings_and_needs_a_database()
    {
        var spec = SpecLoader.Parse(Sources + "  feedback:\n    database: artifacts/default/serve/feedback.db\n    preferences: true\n", "p.yaml");
        Assert.Equal(("artifacts/default/serve/feedback.db", 4, true, false),
            (spec.Data.Feedback!.Database, spec.Data.Feedback.MinRating, spec.Data.Feedback.Preferences, spec.Data.Feedback.WithReasoning));

        Assert.Equal("pipelines/demo.yaml:5:5: data.feedback.database: name Serve's feedback store (Serve writes artifacts/<pipeline>/serve/feedback.db), or remove data.feedback.",
            ErrorOf(Sources + "  feedback:\n    min_rating: 3\n"));
        Assert.Contains("data.feedback.min_rating: must be >= 1 and <= 5 (got 7)", ErrorOf(Sources + "  feedback:\n    database: f.db\n    min_rating: 7\n"));
    }
}
