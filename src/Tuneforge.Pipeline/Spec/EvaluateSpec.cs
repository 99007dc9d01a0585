using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Tuneforge.Pipeline.Spec;

public sealed record EvaluateSpec
{
    [Description("Also answer the test split with the base model and report tuned-minus-base differences.")]
    public bool CompareBase { get; init; } = true;

    [Description("Score at most this many test examples (null = all).")]
    [Range(1, int.MaxValue)]
    public int? MaxSamples { get; init; }

    [Description("Most tokens generated per answer.")]
    [Range(1, 1 << 20)]
    public int MaxNewTokens { get; init; } = 256;

    [Description("Sample instead of greedy decoding (greedy keeps the report reproducible).")]
    public bool DoSample { get; init; }

    [Description("Sampling temperature (with do_sample).")]
    [Range(0.0, 10.0, MinimumIsExclusive = true)]
    public double Temperature { get; init; } = 0.6;

    [Description("Nucleus sampling mass (with do_sample).")]
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double TopP { get; init; } = 0.95;

    [Description("Keep only the k most likely tokens (0 = off).")]
    [Range(0, int.MaxValue)]
    public int TopK { get; init; }

    [Description("Penalty on tokens already generated (1.0 = off).")]
    [Range(0.0, 10.0, MinimumIsExclusive = true)]
    public double RepetitionPenalty { get; init; } = 1.0;

    [Description("Seed of sampling.")]
    public int Seed { get; init; } = 42;

    [Description("Prompts generated together in one batch.")]
    [Range(1, 4096)]
    public int BatchSize { get; init; } = 8;

    [Description("Compute perplexity of the test references (teacher-forced, response tokens only).")]
    public bool Perplexity { get; init; } = true;

    [Description("The forgetting check: perplexity of base and tuned on general text (general_perplexity; gate forgetting_ppl_ratio: tuned ÷ base).")]
    public ForgettingSpec Forgetting { get; init; } = new();

    [Description("Porter-stem English tokens before ROUGE (as rouge_score's use_stemmer).")]
    public bool RougeUseStemmer { get; init; }

    [Description("BLEU tokenizer as sacreBLEU: zh, 13a, none, or auto (zh when the references contain Chinese).")]
    [RegularExpression("^(auto|zh|13a|none)$")]
    public string BleuTokenize { get; init; } = "auto";

    [Description("Resamples of the paired bootstrap for tuned-minus-base confidence intervals.")]
    [Range(1, 100000)]
    public int BootstrapSamples { get; init; } = 1000;

    [Description("Quality gates: metric name -> condition, e.g. rougeL: \">= 0.30\", rougeL_vs_base: \"> 0\". A failed gate fails the build.")]
    public Dictionary<string, string> Gates { get; init; } = [];

    /// <summary>How the test answers are decoded, in words: the model card and Serve's startup line state it, since a
    /// small tuned model can answer well greedily and badly at the temperature a client sends by default.</summary>
    public string DecodingDescription()
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var decoding = DoSample
            ? string.Create(invariant, $"sampling at temperature {Temperature}, top_p {TopP}{(TopK > 0 ? $", top_k {TopK}" : "")}, seed {Seed}")
            : "greedy decoding";
        if (RepetitionPenalty != 1.0) decoding += string.Create(invariant, $", repetition penalty {RepetitionPenalty}");
        return string.Create(invariant, $"{decoding}, at most {MaxNewTokens} new tokens");
    }
}
