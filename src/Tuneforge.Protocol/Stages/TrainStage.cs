using System.Text.Json.Serialization;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Protocol;

/// <summary>The Train stage (<c>tuneforge-engine train</c>): LoRA, QLoRA or full fine-tuning on the train split.</summary>
public static class TrainStage
{
    public const string Verb = "train";

    /// <summary>Version of the engine's training code; bump when results would change (numerics, defaults, output format).
    /// 3: the chat template trained with is stored beside the weights (chat_template.jinja).</summary>
    public const string Salt = "tuneforge-train/3";

    /// <summary>Version of the PyTorch worker of <c>train.engine: torch</c> (src/Tuneforge.Worker, whose
    /// <c>__version__</c> must equal it); <see cref="TrainKey"/> puts it in the key of torch-engine runs.
    /// 2: the chat template trained with is stored beside the weights, as the native engine stores it.</summary>
    public const string WorkerSalt = "tuneforge-worker/2";

    /// <summary>The verb that writes the PyTorch worker's inputs for <c>train.engine: torch</c> (same job as <see cref="Verb"/>).</summary>
    public const string PrepareVerb = "prepare-train";

    public const string TrainInput = "train";
    public const string ValInput = "val";

    public static EngineJob Job(ModelSpec model, TrainSpec train, string trainFile, string? valFile, string repositoryRoot) => new()
    {
        Verb = Verb,
        Model = model,
        Train = train,
        Inputs = valFile is null ? new() { [TrainInput] = trainFile } : new() { [TrainInput] = trainFile, [ValInput] = valFile },
        RepositoryRoot = repositoryRoot,
    };
}

/// <summary>What Train writes into its folder: the weights (a PEFT adapter for LoRA/QLoRA, a full model for full
/// fine-tuning), trainer_state.json, train_args.json and resumable checkpoints.</summary>
public sealed record TrainOutputs(string Directory)
{
    public const string AdapterFolder = "adapter";
    public const string ModelFolder = "model";
    public const string AdapterWeightsFile = "adapter_model.safetensors";
    public const string AdapterConfigFile = "adapter_config.json";
    public const string ModelConfigFile = "config.json";

    public string AdapterDirectory => Path.Combine(Directory, AdapterFolder);
    public string ModelDirectory => Path.Combine(Directory, ModelFolder);
    public string TrainerStatePath => Path.Combine(Directory, TrainerState.FileName);
    public string ArgsPath => Path.Combine(Directory, "train_args.json");
    public string CheckpointsDirectory => Path.Combine(Directory, "checkpoints");

    /// <summary>The PyTorch worker's inputs (engine torch), written by <see cref="TrainStage.PrepareVerb"/>.</summary>
    public string WorkerDirectory => Path.Combine(Directory, "worker");

    /// <summary>The events rank 0 of the PyTorch worker appends, line by line, for launchers that cannot read its stdout.</summary>
    public string EventsPath => Path.Combine(Directory, "events.jsonl");

    /// <summary>Where the trained weights go: adapter/ when the method trains adapters, model/ for full fine-tuning.</summary>
    public string WeightsDirectory(bool adapters) => adapters ? AdapterDirectory : ModelDirectory;

    /// <summary>The weights Train produced, found by their files; an error that says what to do when there are none.</summary>
    public TrainedWeights Weights()
    {
        if (File.Exists(Path.Combine(AdapterDirectory, AdapterWeightsFile))) return new TrainedWeights(AdapterDirectory, IsAdapter: true);
        if (File.Exists(Path.Combine(ModelDirectory, ModelConfigFile))) return new TrainedWeights(ModelDirectory, IsAdapter: false);
        throw new StageFileException($"{Directory} has neither {AdapterFolder}/ nor {ModelFolder}/", "Run the Train stage again: ./build.sh Train --force Train");
    }

    /// <summary>The trainer state, or null when Train wrote none (another engine, an older run).</summary>
    public TrainerState? State() => File.Exists(TrainerStatePath) ? TrainerState.Read(TrainerStatePath) : null;
}

/// <summary>The prepare-train verb's result: where the worker's inputs are and what they hold.</summary>
/// <param name="BaseModel">The Hugging Face folder the worker loads (a preset's is written beside the inputs).</param>
public sealed record PreparedWorker(string WorkerDirectory, string BaseModel, int WorldSize, int TotalSteps, int TrainExamples, int ValExamples);

/// <summary>Train's weights: a PEFT adapter to apply to the base model, or a whole tuned model folder.</summary>
public sealed record TrainedWeights(string Directory, bool IsAdapter);

/// <summary>The train verb's result event.</summary>
public sealed record TrainResult
{
    public required string Method { get; init; }
    public double? Loss { get; init; }
    public double? TrainLoss { get; init; }
    public double? EvalLoss { get; init; }
    public double? BestEvalLoss { get; init; }
    public string? BestCheckpoint { get; init; }
    public string? LoadedBestCheckpoint { get; init; }
    public int GlobalStep { get; init; }
    public int TotalSteps { get; init; }
    public double Epoch { get; init; }
    public bool StoppedEarly { get; init; }
    public int? ResumedFromStep { get; init; }
    public int SkippedSteps { get; init; }
    public double? TokensPerS { get; init; }
    public double TrainRuntimeS { get; init; }
    public long TokensSeen { get; init; }
    public long TrainedTokensSeen { get; init; }
    public int TrainExamples { get; init; }
    public int ValExamples { get; init; }
    public int TruncatedExamples { get; init; }
    public long TruncatedTokens { get; init; }
    public int DroppedExamples { get; init; }
    public int MaxSeqLength { get; init; }
    public required string ComputeDtype { get; init; }
    public long TrainableParameters { get; init; }
    public long TotalParameters { get; init; }
    public long? PeakRssBytes { get; init; }

    /// <summary>The folder name of the weights: adapter or model.</summary>
    public required string Weights { get; init; }
}
