using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Data.Training;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Quantization;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Training.Batching;
using Tuneforge.Engine.Training.Data;
using Tuneforge.Engine.Training.Loop;
using Tuneforge.Files;
using Tuneforge.Hub.Sources;
using Tuneforge.Pipeline.Model;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Training;

/// <summary>
/// The <c>train</c> verb's work: from an engine job (model and train sections, the split files) to the adapter (or
/// full model), trainer_state.json and train_args.json in the output folder, resuming from its checkpoints.
/// </summary>
public static class TrainingRun
{
    public static async Task<TrainResult> RunAsync(EngineJob job, string outputDirectory, Action<EngineEvent> emit, CancellationToken cancellation = default)
    {
        if (job.Train?.Engine == TrainEngine.Torch)
            throw new EngineException("train.engine is torch: this verb is the native engine",
                "The build prepares the PyTorch worker's inputs with `tuneforge-engine prepare-train` and runs the worker under torchrun.");
        var setup = await TrainingSetup.LoadAsync(job, emit, cancellation);
        var (modelSpec, spec, location, train, val) = (setup.ModelSpec, setup.Spec, setup.Location, setup.Train, setup.Val);
        var device = ComputeOptions.DeviceFor(modelSpec.Device);
        var options = TrainOptions.Resolve(spec, modelSpec, device);
        if (modelSpec.NumThreads > 0) set_num_threads(modelSpec.NumThreads);
        outputDirectory = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(outputDirectory);
        var outputs = new TrainOutputs(outputDirectory);
        var fingerprint = setup.Fingerprint;
        var plan = TrainingPlan.Create(train, spec);
        emit(new LogEvent($"loading {location.Source} ({spec.Method.ToString().ToLowerInvariant()}, {options.BaseCompute(device).Describe()} on {device.type.ToString().ToLowerInvariant()}, {get_num_threads()} threads)"));
        if (CpuBfloat16.Warning(device, options.ComputeDType, "train.bf16: false") is { } slow) emit(new LogEvent(slow, "warning"));
        using var trainable = TrainableModel.Create(LoadBase(location, options, device, modelSpec.PresetSeed), options, spec.Seed);
        var origin = Origin(location);
        WriteArgs(outputs.ArgsPath, job, location, options, plan, trainable, fingerprint, train.Count, val.Count);
        emit(new LogEvent($"{trainable.TrainableCount:N0} of {trainable.TotalCount:N0} parameters trained ({100.0 * trainable.TrainableCount / trainable.TotalCount:0.###}%); " +
                          $"{plan.TotalSteps} steps, {plan.StepsPerFirstEpoch} per epoch, {train.Count} examples"));

        var trainer = new Trainer(new TrainerInputs(trainable, options, plan, train, val, outputDirectory, origin, fingerprint, emit,
            FullModelDType(location), location.TokenizerDirectory));
        var outcome = trainer.Run(cancellation);
        // As transformers saves it: whoever loads these weights renders conversations as training did.
        ChatTemplateText.WriteBesideWeights(outcome.WeightsDirectory, setup.Chat.TemplateText);

        emit(new ArtifactEvent(outcome.WeightsDirectory, options.UsesAdapters ? TrainOutputs.AdapterFolder : TrainOutputs.ModelFolder));
        emit(new ArtifactEvent(outputs.TrainerStatePath, "trainer_state", new FileInfo(outputs.TrainerStatePath).Length));
        emit(new ArtifactEvent(outputs.ArgsPath, "train_args", new FileInfo(outputs.ArgsPath).Length));
        return Result(outcome, options, plan, setup.TrainSummary, setup.ValSummary, trainable);
    }

    internal static CausalLM LoadBase(ModelLocation location, TrainOptions options, Device device, long presetSeed)
    {
        var model = LoadOrQuantize(location, options, options.BaseCompute(device), presetSeed);
        ProcessMemory.ReturnFreedMemory();
        return model;
    }

    private static CausalLM LoadOrQuantize(ModelLocation location, TrainOptions options, ComputeOptions compute, long presetSeed)
    {
        if (options.Method != TrainMethod.Qlora) return ModelLoader.Load(location, compute, presetSeed);
        var (blockSize, nested) = (options.Spec.Quantization.Bnb4bitBlocksize, options.Spec.Quantization.Bnb4bitUseDoubleQuant);
        if (location.Directory is not null) return Nf4ModelLoader.Load(location.Directory, compute, blockSize, options.Nf4ComputeDType, nested);
        var model = ModelLoader.Load(location, compute, presetSeed);
        Nf4ModelLoader.QuantizeInPlace(model, blockSize, options.Nf4ComputeDType, nested);
        return model;
    }

    internal static AdapterOrigin Origin(ModelLocation location)
    {
        if (location.Preset is not null) return new AdapterOrigin(location.Source);   // preset:NAME, not where its weights lie
        if (ModelSource.Parse(location.Source) is HubModelSource hub)
        {
            var folder = location.Directory is null ? null : Path.GetFileName(location.Directory.TrimEnd(Path.DirectorySeparatorChar));
            return new AdapterOrigin(hub.RepoId, HubModelSource.IsCommitHash(folder) ? folder : hub.Revision);
        }
        return new AdapterOrigin(location.Directory ?? location.Source);
    }

    // A full fine-tune is saved in the dtype its base was stored in (a preset's float32 otherwise).
    internal static ScalarType FullModelDType(ModelLocation location)
    {
        if (location.Directory is null) return ScalarType.Float32;
        var stored = ModelConfig.Load(Path.Combine(location.Directory, PretrainedModel.ConfigFileName)).TorchDtype;
        return stored is "bfloat16" or "float16" ? ComputeOptions.ParseDType(stored) : ScalarType.Float32;
    }

    internal static void WriteArgs(string path, EngineJob job, ModelLocation location, TrainOptions options, TrainingPlan plan,
        TrainableModel trainable, string fingerprint, int examples, int valExamples)
    {
        var spec = options.Spec;
        var args = new JsonObject
        {
            ["engine_version"] = TrainStage.Salt,
            ["fingerprint"] = fingerprint,
            ["model"] = JsonNode.Parse(SpecJson.Canonical(job.Model)),
            ["train"] = JsonNode.Parse(SpecJson.Canonical(job.Train)),
            ["resolved"] = new JsonObject
            {
                ["model_directory"] = location.Directory,
                ["tokenizer_directory"] = location.TokenizerDirectory,
                ["architecture"] = trainable.Model.Config.Traits.HfName,
                ["device"] = trainable.Model.Device.type.ToString().ToLowerInvariant(),
                ["threads"] = get_num_threads(),
                ["compute_dtype"] = ComputeOptions.HfName(options.ComputeDType),
                ["frozen_weight_dtype"] = ComputeOptions.HfName(options.FrozenWeightDType ?? options.ComputeDType),
                ["trainable_dtype"] = "float32",
                ["nf4_compute_dtype"] = options.Method == TrainMethod.Qlora ? ComputeOptions.HfName(options.Nf4ComputeDType) : null,
                ["lora_target_modules"] = options.Lora is { } l ? new JsonArray(l.TargetModules.Select(t => (JsonNode)t).ToArray()) : null,
                ["lora_scaling"] = options.Lora?.Scaling,
                ["total_steps"] = plan.TotalSteps,
                ["steps_per_epoch"] = plan.StepsPerFirstEpoch,
                ["warmup_steps"] = Optimization.LearningRateSchedule.ResolveWarmup(spec.WarmupSteps, spec.WarmupRatio, plan.TotalSteps),
                ["examples_per_step"] = spec.PerDeviceTrainBatchSize * spec.GradientAccumulationSteps,
                ["train_examples"] = examples,
                ["val_examples"] = valExamples,
                ["trainable_parameters"] = trainable.TrainableCount,
                ["total_parameters"] = trainable.TotalCount,
                ["head_chunk_rows"] = ChunkedLmHead.ChunkRows(trainable.Model.Config.VocabSize, options.HeadChunk),
            },
            ["inputs"] = new JsonObject(job.Inputs.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => KeyValuePair.Create(i.Key, (JsonNode?)i.Value))),
        };
        AtomicFile.WriteAllText(path, args.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    private static TrainResult Result(TrainingOutcome outcome, TrainOptions options, TrainingPlan plan, DataSummary train, DataSummary val, TrainableModel trainable)
    {
        var state = outcome.State;
        static double? Round(double? value) => value is { } x ? Math.Round(x, 6) : null;
        return new TrainResult
        {
            Method = options.Method.ToString().ToLowerInvariant(),
            Loss = Round(outcome.Loss),
            TrainLoss = Round(outcome.TrainLoss),
            EvalLoss = Round(outcome.EvalLoss),
            BestEvalLoss = Round(state.BestMetric),
            BestCheckpoint = state.BestModelCheckpoint,
            LoadedBestCheckpoint = outcome.LoadedBestCheckpoint,
            GlobalStep = state.GlobalStep,
            TotalSteps = plan.TotalSteps,
            Epoch = state.Epoch,
            StoppedEarly = outcome.StoppedEarly,
            ResumedFromStep = outcome.ResumedFromStep,
            SkippedSteps = state.Resume.SkippedSteps,
            TokensPerS = outcome.TokensPerSecond is { } t ? Math.Round(t, 1) : null,
            TrainRuntimeS = Math.Round(state.Resume.TrainSeconds, 2),
            TokensSeen = state.Resume.TokensSeen,
            TrainedTokensSeen = state.Resume.TrainedTokensSeen,
            TrainExamples = train.Examples,
            ValExamples = val.Examples,
            TruncatedExamples = train.Truncated + val.Truncated,
            TruncatedTokens = train.TruncatedTokens + val.TruncatedTokens,
            DroppedExamples = train.Dropped + val.Dropped,
            MaxSeqLength = options.Spec.MaxSeqLength,
            ComputeDtype = ComputeOptions.HfName(options.ComputeDType),
            TrainableParameters = trainable.TrainableCount,
            TotalParameters = trainable.TotalCount,
            PeakRssBytes = ProcessMemory.PeakRssBytes(),
            Weights = Path.GetFileName(outcome.WeightsDirectory),
        };
    }
}
