using System.Globalization;

namespace Tuneforge.Metrics.Bleu;

/// <summary>A BLEU score on sacreBLEU's 0–100 scale with what it was computed from.</summary>
public sealed record BleuScore(
    double Score,
    IReadOnlyList<int> Counts,
    IReadOnlyList<int> Totals,
    IReadOnlyList<double> Precisions,
    double BrevityPenalty,
    int HypothesisLength,
    int ReferenceLength)
{
    /// <summary>Hypothesis over reference length, 0 without reference tokens.</summary>
    public double Ratio => ReferenceLength > 0 ? HypothesisLength / (double)ReferenceLength : 0;

    /// <summary>sacreBLEU's one-line form: <c>BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)</c>.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var precisions = string.Join("/", Precisions.Select(p => p.ToString("F1", c)));
        return $"BLEU = {Score.ToString("F2", c)} {precisions} (BP = {BrevityPenalty.ToString("F3", c)} " +
               $"ratio = {Ratio.ToString("F3", c)} hyp_len = {HypothesisLength} ref_len = {ReferenceLength})";
    }
}
