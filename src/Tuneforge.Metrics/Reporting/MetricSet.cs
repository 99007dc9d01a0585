using System.Text.Json.Serialization;

namespace Tuneforge.Metrics.Reporting;

/// <summary>Mean precision, recall and F1 of a ROUGE variant over a set of examples.</summary>
public sealed record PrfScore(
    [property: JsonPropertyName("precision")] double Precision,
    [property: JsonPropertyName("recall")] double Recall,
    [property: JsonPropertyName("f1")] double F1);

/// <summary>Corpus BLEU with its parts, as sacreBLEU prints them (score 0–100).</summary>
public sealed record BleuDetail(
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("precisions")] IReadOnlyList<double> Precisions,
    [property: JsonPropertyName("counts")] IReadOnlyList<int> Counts,
    [property: JsonPropertyName("totals")] IReadOnlyList<int> Totals,
    [property: JsonPropertyName("brevity_penalty")] double BrevityPenalty,
    [property: JsonPropertyName("ratio")] double Ratio,
    [property: JsonPropertyName("hyp_len")] int HypothesisLength,
    [property: JsonPropertyName("ref_len")] int ReferenceLength);

/// <summary>Every metric of one system on one set of examples. ROUGE and exact match are in [0, 1]; BLEU and chrF 0–100.</summary>
public sealed record MetricSet(
    [property: JsonPropertyName("rouge1")] PrfScore Rouge1,
    [property: JsonPropertyName("rouge2")] PrfScore Rouge2,
    [property: JsonPropertyName("rougeL")] PrfScore RougeL,
    [property: JsonPropertyName("rougeLsum")] PrfScore RougeLsum,
    [property: JsonPropertyName("bleu")] double Bleu,
    [property: JsonPropertyName("chrf")] double Chrf,
    [property: JsonPropertyName("chrf_pp")] double ChrfPlusPlus,
    [property: JsonPropertyName("exact_match")] double ExactMatch,
    [property: JsonPropertyName("perplexity")] double? Perplexity,
    [property: JsonPropertyName("bleu_detail")] BleuDetail BleuDetail)
{
    /// <summary>Perplexity on the forgetting check's general text (overall only; null when not measured).</summary>
    [JsonPropertyName("general_perplexity")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? GeneralPerplexity { get; init; }
}

/// <summary>Tuned minus base for one metric; the interval is null where no per-example values exist (perplexity).</summary>
public sealed record MetricDelta(
    [property: JsonPropertyName("metric")] string Metric,
    [property: JsonPropertyName("base")] double Base,
    [property: JsonPropertyName("tuned")] double Tuned,
    [property: JsonPropertyName("delta")] double Delta,
    [property: JsonPropertyName("ci_low")] double? CiLow,
    [property: JsonPropertyName("ci_high")] double? CiHigh);
