using Tuneforge.Metrics.Statistics;

namespace Tuneforge.Metrics.Tests.Statistics;

public class BootstrapTests
{
    // numpy.percentile's default (linear) method: np.percentile([1, 2, 3, 4], 90) == 3.7, median 2.5.
    [Fact]
    public void Percentile_interpolates_linearly_as_numpy()
    {
        double[] values = [1, 2, 3, 4];
        Assert.Equal(3.7, Percentile.OfSorted(values, 90), 12);
        Assert.Equal(2.5, Percentile.OfSorted(values, 50), 12);
        Assert.Equal(new DistributionSummary(2.5, 2.5, 3.7), DistributionSummary.Of(values));
    }

    [Fact]
    public void Same_seed_gives_the_same_interval_and_another_seed_another()
    {
        var tuned = new MeanMetric(Enumerable.Range(0, 50).Select(i => (i * 37 % 11) / 10.0).ToArray());
        var baseline = new MeanMetric(Enumerable.Range(0, 50).Select(i => (i * 17 % 7) / 10.0).ToArray());
        var population = Enumerable.Range(0, 50).ToArray();
        var first = PairedBootstrap.Difference(tuned, baseline, population, new BootstrapOptions(500, 7));
        var again = PairedBootstrap.Difference(tuned, baseline, population, new BootstrapOptions(500, 7));
        var other = PairedBootstrap.Difference(tuned, baseline, population, new BootstrapOptions(500, 8));
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.InRange(first.Delta, first.Low, first.High);
    }

    [Fact]
    public void A_clear_improvement_has_an_interval_above_zero_and_identical_systems_a_zero_interval()
    {
        var baseline = new MeanMetric(Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? 0.2 : 0.3).ToArray());
        var better = new MeanMetric(Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? 0.6 : 0.7).ToArray());
        var population = Enumerable.Range(0, 40).ToArray();
        var improvement = PairedBootstrap.Difference(better, baseline, population, new BootstrapOptions());
        Assert.Equal(0.4, improvement.Delta, 12);
        Assert.True(improvement.ExcludesZero);
        // Paired: every resample sees the same examples in both systems, so a constant gap has no spread.
        Assert.Equal(0.4, improvement.Low, 12);
        Assert.Equal(0.4, improvement.High, 12);

        var none = PairedBootstrap.Difference(baseline, baseline, population, new BootstrapOptions());
        Assert.Equal(new DifferenceInterval(0, 0, 0), none);
    }

    [Fact]
    public void The_generator_is_fixed_by_its_seed()
    {
        // SplitMix64 with seed 0: the reference sequence of Vigna's splitmix64.c.
        var random = new DeterministicRandom(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, random.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.NextUInt64());
        var draws = Enumerable.Range(0, 10_000).Select(_ => new DeterministicRandom(99).NextInt(7)).Distinct().Single();
        Assert.InRange(draws, 0, 6);
    }

    [Fact]
    public void Bad_options_are_rejected_with_a_reason()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BootstrapOptions(Confidence: 95).Validate());
        Assert.Contains("confidence must be within (0, 1), e.g. 0.95", error.Message);
    }
}
