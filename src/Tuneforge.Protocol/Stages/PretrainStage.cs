using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Protocol;

/// <summary><c>tuneforge-engine pretrain</c>: causal LM training of every weight on plain text (packed sequences,
/// loss on every token). Not a pipeline stage: a recipe runs it (eng/pretrain/) to make a base model.</summary>
public static class PretrainStage
{
    public const string Verb = "pretrain";

    /// <summary>Version of corpus preparation, packing and what trains; part of a run's fingerprint, so a changed
    /// recipe never resumes an old run's checkpoints (2: unseen tokens' embedding rows stay as initialized).</summary>
    public const string Salt = "tuneforge-pretrain/2";

    public static EngineJob Job(ModelSpec model, PretrainSpec pretrain, string repositoryRoot) => new()
    {
        Verb = Verb,
        Model = model,
        Pretrain = pretrain,
        RepositoryRoot = repositoryRoot,
    };
}

/// <summary>What pretrain writes into its folder: model/ (a Hugging Face folder), corpus.json (what each source
/// gave), heldout.jsonl (the documents never trained on), pretrain_args.json, trainer_state.json and checkpoints.</summary>
public sealed record PretrainOutputs(string Directory)
{
    public const string ModelFolder = "model";
    public const string CorpusFile = "corpus.json";
    public const string HeldOutFile = "heldout.jsonl";
    public const string ArgsFile = "pretrain_args.json";

    public string ModelDirectory => Path.Combine(Directory, ModelFolder);
    public string CorpusPath => Path.Combine(Directory, CorpusFile);
    public string HeldOutPath => Path.Combine(Directory, HeldOutFile);
    public string ArgsPath => Path.Combine(Directory, ArgsFile);
}

/// <summary>The pretrain verb's result event.</summary>
public sealed record PretrainResult
{
    public double? Loss { get; init; }
    public double? TrainLoss { get; init; }
    public double? HeldoutLoss { get; init; }
    public double? HeldoutPerplexity { get; init; }
    public int GlobalStep { get; init; }
    public int TotalSteps { get; init; }
    public int? ResumedFromStep { get; init; }
    public long TokensSeen { get; init; }
    public long TrainedTokensSeen { get; init; }
    public double? TokensPerS { get; init; }
    public double TrainRuntimeS { get; init; }
    public int SeqLength { get; init; }
    public long CorpusTrainTokens { get; init; }
    public long CorpusHeldoutTokens { get; init; }
    public long Parameters { get; init; }
    public long? PeakRssBytes { get; init; }

    /// <summary>The folder name of the weights: model.</summary>
    public required string Weights { get; init; }
}
