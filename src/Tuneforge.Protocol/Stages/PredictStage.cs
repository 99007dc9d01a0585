using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Protocol;

/// <summary>The Predict stage (<c>tuneforge-engine predict</c>): the tuned model, and the base with
/// evaluate.compare_base, answer the test split; perplexity of the references for both. The build scores the answers
/// (the Evaluate stage), so a change of scoring or gates never generates again.</summary>
public static class PredictStage
{
    public const string Verb = "predict";

    /// <summary>Version of the engine's generation and perplexity code; bump when its outputs would change.
    /// 2: the one generation core: answers also stop at the model's config.json/generation_config.json EOS ids, and sampling draws per row from the seed.
    /// 3: predictions keep each answer's think block (reasoning, base_reasoning); perplexity.json has the forgetting check's general text.</summary>
    public const string Salt = "tuneforge-predict/3";

    public const string TestInput = "test";
    public const string TrainOutputInput = "train_output";

    /// <summary>The evaluate settings that shape the answers: everything but the gates, which only the build reads.</summary>
    public static EvaluateSpec Settings(EvaluateSpec evaluate) => evaluate with { Gates = [] };

    public static EngineJob Job(ModelSpec model, EvaluateSpec evaluate, string testFile, TrainOutputs trained, string repositoryRoot) => new()
    {
        Verb = Verb,
        Model = model,
        Evaluate = Settings(evaluate),
        Inputs = { [TestInput] = testFile, [TrainOutputInput] = trained.Directory },
        RepositoryRoot = repositoryRoot,
    };
}

/// <summary>What Predict writes: predictions.jsonl (one record per test example: prompt, reference, tuned and base
/// answers, token counts) and perplexity.json.</summary>
public sealed record PredictOutputs(string Directory)
{
    public string PredictionsPath => Path.Combine(Directory, "predictions.jsonl");
    public string PerplexityPath => Path.Combine(Directory, PerplexityReport.FileName);

    /// <summary>The perplexities, or null when evaluate.perplexity was off.</summary>
    public PerplexityReport? Perplexity() => File.Exists(PerplexityPath) ? PerplexityReport.Read(PerplexityPath) : null;
}

/// <summary>The predict verb's result event.</summary>
public sealed record PredictResult
{
    public int Examples { get; init; }
    public long TunedTokens { get; init; }
    public double TunedSeconds { get; init; }
    public double TokensPerS { get; init; }
    public long? BaseTokens { get; init; }
    public double? BaseSeconds { get; init; }
    public double? Perplexity { get; init; }
    public double? BasePerplexity { get; init; }
    public long? PeakRssBytes { get; init; }
}
