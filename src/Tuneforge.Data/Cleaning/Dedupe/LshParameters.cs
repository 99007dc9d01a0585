namespace Tuneforge.Data.Cleaning.Dedupe;

/// <summary>How a MinHash signature is cut into LSH bands. Two records become candidates when all rows of at least
/// one band agree: probability 1 − (1 − J^rows)^bands at Jaccard J. Candidates are then verified with the exact
/// Jaccard, so the threshold itself is exact; the bands only decide how often a true pair is found.</summary>
public sealed record LshParameters(int Bands, int Rows)
{
    /// <summary>The probability that a pair with Jaccard similarity <paramref name="jaccard"/> becomes a candidate.</summary>
    public double CandidateProbability(double jaccard) => 1 - Math.Pow(1 - Math.Pow(jaccard, Rows), Bands);

    /// <summary>The least a pair at exactly the threshold is found with.</summary>
    public const double TargetRecall = 0.99;

    /// <summary>The most rows per band (fewest false candidates to verify) for which bands × rows ≤ numPerm bands still
    /// find a pair at exactly the threshold with probability ≥ 99%, and of those the fewest bands.</summary>
    public static LshParameters For(double threshold, int numPerm)
    {
        if (threshold is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(threshold));
        var best = new LshParameters(numPerm, 1);
        for (var rows = 1; rows <= numPerm; rows++)
        {
            var single = Math.Pow(threshold, rows);
            int bands;
            if (single >= 1) bands = 1;
            else
            {
                var perBandMiss = Math.Log(1 - single);
                if (perBandMiss == 0) continue; // threshold^rows vanishes: no number of bands is enough
                var needed = Math.Ceiling(Math.Log(1 - TargetRecall) / perBandMiss);
                if (needed * rows > numPerm) continue;
                bands = Math.Max(1, (int)needed);
            }
            best = new LshParameters(bands, rows);
        }
        return best;
    }
}
