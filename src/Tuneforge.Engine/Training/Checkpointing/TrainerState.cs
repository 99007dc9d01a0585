using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Training.Batching;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Engine.Training.Checkpointing;

/// <summary>
/// trainer_state.json: transformers' fields (global_step, epoch, log_history, best_metric, best_model_checkpoint, …)
/// plus what resuming needs exactly (<see cref="Resume"/>): loss sums of the open logging window, counters, loss scale.
/// </summary>
public sealed class TrainerState
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public const string FileName = "trainer_state.json";

    public int GlobalStep { get; set; }
    public double Epoch { get; set; }
    public int MaxSteps { get; set; }
    public double NumTrainEpochs { get; set; }
    public int LoggingSteps { get; set; }
    public int EvalSteps { get; set; }
    public int SaveSteps { get; set; }
    public int TrainBatchSize { get; set; }
    public double? BestMetric { get; set; }
    public int? BestGlobalStep { get; set; }
    public string? BestModelCheckpoint { get; set; }
    public bool IsLocalProcessZero { get; set; } = true;
    public bool IsWorldProcessZero { get; set; } = true;
    public List<JsonObject> LogHistory { get; set; } = [];
    public ResumeState Resume { get; set; } = new();

    /// <summary>The state before the first step of a fresh run (transformers' fields from the spec and plan).</summary>
    public static TrainerState Start(TrainSpec spec, TrainingPlan plan, string fingerprint) => new()
    {
        MaxSteps = plan.TotalSteps,
        NumTrainEpochs = spec.MaxSteps > 0 ? Math.Ceiling((double)plan.TotalSteps / Math.Max(1, plan.StepsPerFirstEpoch)) : spec.NumTrainEpochs,
        LoggingSteps = spec.LoggingSteps,
        EvalSteps = spec.EvalSteps,
        SaveSteps = spec.SaveSteps,
        TrainBatchSize = spec.PerDeviceTrainBatchSize,
        Resume = new ResumeState { Fingerprint = fingerprint },
    };

    public void Write(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json) + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    public static TrainerState Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), Json) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new EngineException($"{path}: unreadable trainer state: {e.Message}", "Delete this checkpoint folder to resume from an earlier one, or start a fresh run.");
        }
    }
}

/// <summary>The part of the state transformers keeps elsewhere (RNG and scaler files, callbacks) or not at all.</summary>
public sealed class ResumeState
{
    /// <summary>SHA-256 of the settings and data the run was started with; a checkpoint resumes only the same run.</summary>
    public string Fingerprint { get; set; } = "";
    public double WindowLossSum { get; set; }
    public int WindowSteps { get; set; }
    public long WindowTokens { get; set; }
    public double RunLossSum { get; set; }
    public int RunSteps { get; set; }
    public long TokensSeen { get; set; }
    public long TrainedTokensSeen { get; set; }
    public int EvaluationsWithoutImprovement { get; set; }
    public bool StoppedEarly { get; set; }
    public double LossScale { get; set; } = 1;
    public int LossScaleGoodSteps { get; set; }
    public int SkippedSteps { get; set; }
    public double TrainSeconds { get; set; }
}
