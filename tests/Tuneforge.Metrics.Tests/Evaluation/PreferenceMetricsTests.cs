using Tuneforge.Metrics.Evaluation;
using Tuneforge.Metrics.Statistics;

namespace Tuneforge.Metrics.Tests.Evaluation;

public class PreferenceMetricsTests
{
    [Fact]
    public void Reward_accuracy_counts_positive_margins_ties_as_wrong_and_the_mean_margin_is_the_plain_mean()
    {
        double[] tuned = [2.0, 0.5, -1.0, 0.0, 3.5];
        double[] baseline = [-1.0, 0.5, -2.0, -0.5, 1.0];
        var result = PreferenceMetrics.Compare(tuned, baseline, new BootstrapOptions(Samples: 200));
        Assert.Equal(5, result.Pairs);
        Assert.Equal(3 / 5.0, result.Tuned.RewardAccuracy, 12);
        Assert.Equal(2 / 5.0, result.Base.RewardAccuracy, 12);
        Assert.Equal(1.0, result.Tuned.MeanMargin, 12);
        Assert.Equal(-0.4, result.Base.MeanMargin, 12);
        Assert.Equal(0.2, result.AccuracyDelta.Delta, 12);
        Assert.Equal(1.4, result.MarginDelta.Delta, 12);
    }

    [Fact]
    public void Intervals_contain_the_estimate_and_a_consistent_improvement_excludes_zero()
    {
        var baseline = Enumerable.Range(0, 80).Select(i => Math.Sin(i) - 0.2).ToArray();
        var tuned = baseline.Select((m, i) => m + 0.5 + 0.1 * Math.Cos(i)).ToArray();
        var result = PreferenceMetrics.Compare(tuned, baseline, new BootstrapOptions(Samples: 500, Seed: 3));
        foreach (var interval in new[] { result.Tuned.AccuracyInterval, result.Tuned.MarginInterval, result.Base.MarginInterval })
            Assert.InRange(interval.Delta, interval.Low, interval.High);
        Assert.True(result.MarginDelta.ExcludesZero);
        Assert.True(result.MarginDelta.Low > 0.4 && result.MarginDelta.High < 0.6, $"{result.MarginDelta}");
        Assert.Equal(result, PreferenceMetrics.Compare(tuned, baseline, new BootstrapOptions(Samples: 500, Seed: 3)));
    }

    [Fact]
    public void Margins_of_different_pair_counts_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => PreferenceMetrics.Compare([1.0], [1.0, 2.0], new BootstrapOptions()));
        Assert.Contains("both score the same pairs", e.Message);
    }

    [Fact]
    public void The_report_describes_start_and_tuned_and_round_trips_through_its_file()
    {
        double[] start = [-1.0, 0.5, -2.0, 1.0];
        double[] tuned = [1.0, 1.5, -1.0, 2.0];
        var report = PreferenceReport.Of("dpo", "sft", PreferenceMetrics.Compare(tuned, start, new BootstrapOptions(Samples: 200)));

        Assert.StartsWith("DPO from Train's SFT adapter, on the 4 held-out pairs of the val split: reward accuracy 0.50 [", report.Describe());
        Assert.Contains("→ 0.75 [", report.Describe());
        Assert.Contains("mean margin chosen − rejected -0.38 → 0.88 (difference +1.25 [", report.Describe());
        Assert.Equal("KTO from the base: the val split held no preference pairs, so nothing was measured.", PreferenceReport.Of("kto", "base", null).Describe());

        var path = Path.Combine(Directory.CreateTempSubdirectory("preference-report-").FullName, "preference_metrics.json");
        try
        {
            Reporting.StageResultJson.Write(path, report);
            var read = Reporting.StageResultJson.Read<PreferenceReport>(path, "PreferenceTrain");
            Assert.Equal(report.Describe(), read.Describe());
            Assert.Contains("\"reward_accuracy_ci\": [", File.ReadAllText(path));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
