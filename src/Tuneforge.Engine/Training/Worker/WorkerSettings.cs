using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Data.Training;
using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Training.Loop;
using Tuneforge.Engine.Training.Optimization;
using Tuneforge.Pipeline.Model;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Engine.Training.Worker;

/// <summary>
/// worker.json: every decision the PyTorch worker follows, made here by the engine's own code so the two engines
/// cannot drift: the resolved LoRA settings, AdamW's constants, the learning rate of each step (the native schedule),
/// which steps log, evaluate and save (<see cref="StepCalendar"/>), each step's token counts (the denominator of the
/// token-normalized loss), the initial trainer_state.json and the result fields known before training.
/// </summary>
public static class WorkerSettings
{
    public static JsonObject Build(TrainingSetup setup, TrainOptions options, WorkerPlan plan, AdapterOrigin origin, string baseModelDirectory,
        string fullModelDType, long trainableParameters, long totalParameters)
    {
        var spec = setup.Spec;
        var global = plan.Global;
        var warmup = LearningRateSchedule.ResolveWarmup(spec.WarmupSteps, spec.WarmupRatio, global.TotalSteps);
        var schedule = new LearningRateSchedule(spec.LrSchedulerType, spec.LearningRate, warmup, global.TotalSteps);
        var chosen = TrainOptions.ChosenComputeDType(spec, setup.ModelSpec);
        return new JsonObject
        {
            ["format"] = TrainStage.WorkerSalt,
            ["fingerprint"] = setup.Fingerprint,
            ["method"] = SpecModel.EnumName(spec.Method),
            ["base_model"] = baseModelDirectory,
            ["initial_adapter"] = options.UsesAdapters ? WorkerFolder.InitialAdapter : null,
            ["chat_template"] = WorkerFolder.ChatTemplate,
            ["full_model_dtype"] = fullModelDType,
            ["origin"] = new JsonObject { ["base_model_name_or_path"] = origin.BaseModelNameOrPath, ["revision"] = origin.Revision },
            ["compute_dtype"] = chosen is { } dtype ? ComputeOptions.HfName(dtype) : "auto",
            ["device"] = SpecModel.EnumName(setup.ModelSpec.Device),
            ["num_threads"] = setup.ModelSpec.NumThreads,
            ["seed"] = spec.Seed,
            ["lora"] = options.Lora is { } lora ? Lora(lora) : null,
            ["optimizer"] = new JsonObject
            {
                ["beta1"] = spec.AdamBeta1,
                ["beta2"] = spec.AdamBeta2,
                ["epsilon"] = spec.AdamEpsilon,
                ["weight_decay"] = spec.WeightDecay,
            },
            ["max_grad_norm"] = spec.MaxGradNorm,
            ["gradient_checkpointing"] = spec.GradientCheckpointing,
            ["distributed"] = new JsonObject
            {
                ["world_size"] = plan.WorldSize,
                ["strategy"] = SpecModel.EnumName(spec.Distributed.Strategy),
                ["backend"] = SpecModel.EnumName(spec.Distributed.Backend),
            },
            ["scheduler"] = new JsonObject
            {
                ["lr_scheduler_type"] = spec.LrSchedulerType.ToString().ToLowerInvariant(),   // as the native scheduler.json
                ["learning_rate"] = spec.LearningRate,
                ["warmup_steps"] = warmup,
                ["total_steps"] = global.TotalSteps,
            },
            ["save_total_limit"] = spec.SaveTotalLimit,
            ["load_best_model_at_end"] = spec.LoadBestModelAtEnd,
            ["early_stopping_patience"] = spec.EarlyStoppingPatience,
            ["eval_batches_per_rank"] = plan.EvalBatchesPerRank,
            ["trainer_state"] = JsonSerializer.SerializeToNode(TrainerState.Start(spec, global.TotalSteps, global.StepsPerFirstEpoch, setup.Fingerprint), TrainerState.Json),
            ["result"] = new JsonObject
            {
                ["method"] = SpecModel.EnumName(spec.Method),
                ["total_steps"] = global.TotalSteps,
                ["train_examples"] = setup.TrainSummary.Examples,
                ["val_examples"] = setup.ValSummary.Examples,
                ["truncated_examples"] = setup.TrainSummary.Truncated + setup.ValSummary.Truncated,
                ["truncated_tokens"] = setup.TrainSummary.TruncatedTokens + setup.ValSummary.TruncatedTokens,
                ["dropped_examples"] = setup.TrainSummary.Dropped + setup.ValSummary.Dropped,
                ["max_seq_length"] = spec.MaxSeqLength,
                ["trainable_parameters"] = trainableParameters,
                ["total_parameters"] = totalParameters,
            },
            ["steps"] = new JsonArray(global.Steps.Select(step => (JsonNode)Step(spec, step, setup.Train, schedule, global.TotalSteps)).ToArray()),
        };
    }

    private static JsonObject Lora(LoraSettings lora) => new()
    {
        ["r"] = lora.Rank,
        ["lora_alpha"] = lora.Alpha,
        ["lora_dropout"] = lora.Dropout,
        ["target_modules"] = new JsonArray(lora.TargetModules.Select(t => (JsonNode)t).ToArray()),
        ["use_rslora"] = lora.UseRslora,
        ["scaling"] = lora.Scaling,
    };

    // tokens and loss_tokens count every rank's share: the loss of the step is divided by all of its response tokens.
    private static JsonObject Step(TrainSpec spec, Batching.StepPlan step, IReadOnlyList<EncodedExample> examples, LearningRateSchedule schedule, int totalSteps) => new()
    {
        ["step"] = step.GlobalStep,
        ["epoch"] = Math.Round(step.EpochProgress, 6),
        ["learning_rate"] = schedule.At(step.GlobalStep - 1),
        ["micro_batches"] = step.MicroBatches.Count,
        ["tokens"] = step.MicroBatches.SelectMany(rows => rows).SelectMany(row => row).Sum(i => (long)examples[i].Length),
        ["loss_tokens"] = step.MicroBatches.SelectMany(rows => rows).SelectMany(row => row).Sum(i => (long)examples[i].TrainedTokens),
        ["log"] = StepCalendar.LogDue(spec, step, totalSteps),
        ["evaluate"] = StepCalendar.EvaluationDue(spec, step, totalSteps),
        ["save"] = StepCalendar.SaveDue(spec, step, totalSteps),
    };
}
