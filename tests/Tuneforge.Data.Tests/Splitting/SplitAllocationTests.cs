using CsCheck;
using Tuneforge.Data.Splitting;

namespace Tuneforge.Data.Tests.Splitting;

public class SplitAllocationTests
{
    static readonly Gen<double[]> Fractions = Gen.OneOf(
        Gen.Const(new[] { 0.8, 0.1, 0.1 }), Gen.Const(new[] { 0.7, 0.15, 0.15 }), Gen.Const(new[] { 0.9, 0.0, 0.1 }),
        Gen.Const(new[] { 0.6, 0.2, 0.2 }), Gen.Const(new[] { 1.0, 0.0, 0.0 }), Gen.Const(new[] { 0.5, 0.25, 0.25 }));

    [Fact]
    public void Every_stratum_is_within_one_of_its_share_and_the_totals_close_to_theirs()
    {
        Gen.Select(Gen.Int[0, 60].Array[1, 30], Fractions).Sample((sizes, fractions) =>
        {
            var targets = SplitAllocation.Targets(sizes, fractions);
            var total = sizes.Sum();
            for (var s = 0; s < sizes.Length; s++)
            {
                if (targets[s].Sum() != sizes[s]) return false;
                for (var p = 0; p < 3; p++)
                    if (Math.Abs(targets[s][p] - sizes[s] * fractions[p]) >= 1 || (fractions[p] == 0 && targets[s][p] != 0)) return false;
            }
            return Enumerable.Range(0, 3).All(p => Math.Abs(targets.Sum(t => t[p]) - total * fractions[p]) < 2);
        }, iter: 2000);
    }

    [Fact]
    public void Small_strata_share_out_the_small_parts()
    {
        // Ten records over six categories: val and test still get one each.
        var targets = SplitAllocation.Targets([1, 1, 2, 2, 2, 2], [0.8, 0.1, 0.1]);
        Assert.Equal([8, 1, 1], Enumerable.Range(0, 3).Select(p => targets.Sum(t => t[p])));
    }

    [Theory]
    [InlineData(new[] { 0.8, 0.1, 0.1 }, 10)]
    [InlineData(new[] { 0.7, 0.15, 0.15 }, 7)]
    [InlineData(new[] { 0.9, 0.0, 0.1 }, 10)]
    [InlineData(new[] { 1.0, 0.0, 0.0 }, 1)]
    [InlineData(new[] { 0.34, 0.33, 0.33 }, 4)]
    public void The_minimum_dataset_gives_each_part_one_record(double[] fractions, int minimum) =>
        Assert.Equal(minimum, SplitAllocation.MinimumRecords(fractions));
}
