using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Tuneforge.Files;

namespace Tuneforge.Protocol;

/// <summary>
/// trainer_state.json: transformers' fields (global_step, epoch, log_history, best_metric, best_model_checkpoint, …)
/// plus what resuming needs exactly (<see cref="Resume"/>): loss sums of the open logging window, counters, loss scale.
/// The one reader and writer of the file: the trainer resumes from it, the report and the model card read its history.
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

    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");

    public static TrainerState Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), Json) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new StageFileException($"{path}: unreadable trainer state: {e.Message}", "Delete this checkpoint folder to resume from an earlier one, or start a fresh run.");
        }
    }

    /// <summary>The training and validation losses of <see cref="LogHistory"/>, by step.</summary>
    public TrainingHistory History()
    {
        var train = new List<LossPoint>();
        var eval = new List<LossPoint>();
        foreach (var entry in LogHistory)
        {
            if (entry["step"]?.GetValue<int>() is not { } step) continue;
            if (entry["loss"] is JsonValue loss) train.Add(new LossPoint(step, loss.GetValue<double>()));
            if (entry["eval_loss"] is JsonValue evalLoss) eval.Add(new LossPoint(step, evalLoss.GetValue<double>()));
        }
        return new TrainingHistory(train, eval);
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

