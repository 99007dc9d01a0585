using Tuneforge.Metrics.Bleu;
using Tuneforge.Metrics.Statistics;

namespace Tuneforge.Metrics;

/// <summary>Perplexities measured by the engine (teacher-forced on the references), overall and optionally per category;
/// and on the forgetting check's general text (<see cref="GeneralTuned"/>, <see cref="GeneralBase"/>), overall only.</summary>
public sealed record PerplexityValues(
    double? Tuned,
    double? Base = null,
    IReadOnlyDictionary<string, double>? TunedByCategory = null,
    IReadOnlyDictionary<string, double>? BaseByCategory = null,
    double? GeneralTuned = null,
    double? GeneralBase = null);

/// <summary>How predictions are scored. The defaults suit mixed English and Chinese data.</summary>
public sealed record ScoringOptions
{
    /// <summary>Porter-stem English tokens for ROUGE (rouge_score's <c>use_stemmer</c>); off by default as in rouge_score.</summary>
    public bool RougeStemmer { get; init; }

    /// <summary>Score each CJK letter as a ROUGE token; off reproduces rouge_score exactly (and scores Chinese 0).</summary>
    public bool CjkCharactersAsTokens { get; init; } = true;

    /// <summary>sacreBLEU tokenizer; null picks <c>zh</c> when any reference holds CJK letters, else <c>13a</c>.</summary>
    public BleuTokenizerKind? BleuTokenizer { get; init; }

    /// <summary>Paired bootstrap for tuned-minus-base intervals (1000 samples, seed 12345, 95% by default).</summary>
    public BootstrapOptions Bootstrap { get; init; } = new();

    /// <summary>Perplexities from the engine, reported beside the other metrics and usable in gates.</summary>
    public PerplexityValues? Perplexity { get; init; }

    /// <summary>The pairwise LLM judge's result (the Judge stage's), reported and usable in the judge_win_rate gate.</summary>
    public Evaluation.JudgeScores? Judge { get; init; }

    /// <summary>Quality gates (<c>rougeL: "&gt;= 0.30"</c>); evaluated into the report when given.</summary>
    public IReadOnlyDictionary<string, string>? Gates { get; init; }
}
