using Tuneforge.Data.Cleaning.Dedupe;

namespace Tuneforge.Data.Tests.Cleaning;

public class MinHashTests
{
    [Fact]
    public void Vector_and_scalar_signatures_are_equal()
    {
        var hasher = new MinHasher(133); // not a multiple of 8: the tail is scalar
        var shingles = Shingles.Of("退款审核通过后1-3个工作日到账，请留意原支付账户。Refunds arrive in 1-3 days.", 5);
        Assert.Equal(hasher.SignatureScalar(shingles), hasher.Signature(shingles));
    }

    [Fact]
    public void Agreeing_positions_estimate_the_jaccard_similarity()
    {
        var hasher = new MinHasher(256);
        var a = Shingles.Of(string.Concat(Enumerable.Range(0, 300).Select(i => (char)(0x4E00 + i))), 5);
        var b = Shingles.Of(string.Concat(Enumerable.Range(100, 300).Select(i => (char)(0x4E00 + i))), 5);
        var exact = Shingles.Jaccard(a, b);
        var sa = hasher.Signature(a);
        var sb = hasher.Signature(b);
        var estimate = sa.Zip(sb).Count(p => p.First == p.Second) / 256.0;
        Assert.Equal(196.0 / 396.0, exact, 1e-12);
        Assert.InRange(estimate, exact - 0.08, exact + 0.08);
    }

    [Fact]
    public void Shingles_are_character_ngrams_case_folded()
    {
        Assert.Equal(Shingles.Of("Hello World", 3), Shingles.Of("hello world", 3));
        Assert.Equal(3, Shingles.Of("运费怎么算", 3).Length);
        Assert.Single(Shingles.Of("ab", 5)); // shorter than n: the whole text is one shingle
        Assert.Empty(Shingles.Of("", 5));
    }

    [Theory]
    [InlineData(0.85, 128, 15, 8)]
    [InlineData(0.9, 128, 11, 10)]
    [InlineData(0.7, 128, 17, 4)]
    [InlineData(0.5, 128, 35, 3)]
    [InlineData(1.0, 128, 1, 128)]
    [InlineData(0.85, 64, 10, 6)]
    public void Bands_and_rows_follow_from_threshold_and_permutations(double threshold, int numPerm, int bands, int rows)
    {
        var parameters = LshParameters.For(threshold, numPerm);
        Assert.Equal(new LshParameters(bands, rows), parameters);
        Assert.True(parameters.Bands * parameters.Rows <= numPerm);
        Assert.True(parameters.CandidateProbability(threshold) >= LshParameters.TargetRecall);
        // One more row per band would need more permutations than there are.
        Assert.True(threshold == 1.0 || Math.Ceiling(Math.Log(0.01) / Math.Log(1 - Math.Pow(threshold, rows + 1))) * (rows + 1) > numPerm);
    }

    [Fact]
    public void Lsh_index_finds_items_sharing_a_band_and_not_others()
    {
        var parameters = new LshParameters(4, 2);
        var index = new LshIndex(parameters);
        uint[] first = [1, 2, 3, 4, 5, 6, 7, 8];
        uint[] sharesBand2 = [9, 9, 9, 9, 5, 6, 9, 9];
        uint[] unrelated = [10, 11, 12, 13, 14, 15, 16, 17];
        index.Add(index.BandKeys(first));
        index.Add(index.BandKeys(sharesBand2));
        for (var i = 0; i < 5000; i++) index.Add(index.BandKeys([(uint)(100 + i), 0, 0, (uint)i, 0, (uint)i, 0, (uint)(i * 7)])); // makes the tables grow
        var found = new List<int>();
        index.ForEachCandidate(index.BandKeys(first), found.Add);
        Assert.Equal([0, 1], found.Distinct().Order());
        found.Clear();
        index.ForEachCandidate(index.BandKeys(unrelated), found.Add);
        Assert.Empty(found);
    }
}
