using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Training.Loop;
using Tuneforge.Engine.Training.Optimization;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Training.Checkpointing;

/// <summary>
/// What a checkpoint folder holds, enough to continue bit for bit: the trained weights (a PEFT adapter, or float32
/// model.safetensors for full fine-tuning), optimizer.safetensors (AdamW's m and v, and t), scheduler.json,
/// rng_state.json (the LoRA dropout stream) and trainer_state.json.
/// </summary>
public static class TrainingCheckpoint
{
    public const string OptimizerFile = "optimizer.safetensors";
    public const string SchedulerFile = "scheduler.json";
    public const string RngFile = "rng_state.json";
    public const string FullWeightsFile = "model.safetensors";

    public static void Write(string folder, TrainableModel trainable, AdamW optimizer, LearningRateSchedule schedule, TrainerState state, AdapterOrigin origin)
    {
        if (trainable.Options.UsesAdapters)
        {
            PeftAdapter.WriteFiles(trainable.Model, trainable.Options.Lora!, origin, folder);
        }
        else
        {
            SafeTensorsWriter.Write(Path.Combine(folder, FullWeightsFile), trainable.Parameters.Select(p => KeyValuePair.Create(p.Name, p.Value)));
            var config = trainable.Model.Config with { TorchDtype = "float32" };
            File.WriteAllText(Path.Combine(folder, PretrainedModel.ConfigFileName), config.ToJson().ToJsonString(Indented) + "\n");
        }
        SafeTensorsWriter.Write(Path.Combine(folder, OptimizerFile), optimizer.StateTensors(),
            new Dictionary<string, string> { ["format"] = "pt", ["step"] = optimizer.StepCount.ToString(CultureInfo.InvariantCulture) });
        var scheduler = new JsonObject
        {
            ["lr_scheduler_type"] = schedule.Type.ToString().ToLowerInvariant(),
            ["learning_rate"] = schedule.PeakLearningRate,
            ["warmup_steps"] = schedule.WarmupSteps,
            ["total_steps"] = schedule.TotalSteps,
            ["last_update"] = optimizer.StepCount,
        };
        File.WriteAllText(Path.Combine(folder, SchedulerFile), scheduler.ToJsonString(Indented) + "\n");
        var rng = new JsonObject { ["lora_dropout"] = Convert.ToBase64String(trainable.Dropout.GetState()) };
        File.WriteAllText(Path.Combine(folder, RngFile), rng.ToJsonString(Indented) + "\n");
        state.Write(Path.Combine(folder, TrainerState.FileName));
    }

    /// <summary>Loads weights, optimizer and RNG state into a freshly built run; returns the trainer state.</summary>
    public static TrainerState Read(string folder, TrainableModel trainable, AdamW optimizer)
    {
        var state = TrainerState.Read(Path.Combine(folder, TrainerState.FileName));
        LoadWeights(folder, trainable);
        var optimizerPath = Path.Combine(folder, OptimizerFile);
        var header = SafeTensorsHeader.Read(optimizerPath);
        if (!header.Metadata.TryGetValue("step", out var stepText) || !long.TryParse(stepText, CultureInfo.InvariantCulture, out var step))
            throw new EngineException($"{optimizerPath}: no optimizer step in its metadata", "Delete this checkpoint folder to resume from an earlier one.");
        using (var reader = new SafeTensorsReader(header)) optimizer.Restore(step, reader.Read);
        var rng = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, RngFile)))!["lora_dropout"]!.GetValue<string>();
        trainable.Dropout.SetState(Convert.FromBase64String(rng));
        return state;
    }

    /// <summary>Loads only the trained weights of a checkpoint (for load_best_model_at_end).</summary>
    public static void LoadWeights(string folder, TrainableModel trainable)
    {
        if (trainable.Options.UsesAdapters)
        {
            trainable.LoadAdapter(folder);
            return;
        }
        var path = Path.Combine(folder, FullWeightsFile);
        using var reader = SafeTensorsReader.Open(path);
        using var _ = no_grad();
        foreach (var parameter in trainable.Parameters)
        {
            if (!reader.Header.Entries.ContainsKey(parameter.Name)) throw new CheckpointException($"{path}: missing '{parameter.Name}'");
            using var saved = reader.Read(parameter.Name);
            parameter.Value.copy_(saved);
            parameter.PushToLive();
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
