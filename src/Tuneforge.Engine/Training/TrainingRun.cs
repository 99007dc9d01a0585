using Tuneforge.Data.Training;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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
        var modelSpec = job.Section(job.Model, "model");
        var spec = job.Section(job.Train, "train");
        var device = ComputeOptions.DeviceFor(modelSpec.Device);
        var options = TrainOptions.Resolve(spec, modelSpec, device);
        if (modelSpec.NumThreads > 0) set_num_threads(modelSpec.NumThreads);
        outputDirectory = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(outputDirectory);
        var outputs = new TrainOutputs(outputDirectory);

        var location = await ModelLocation.ResolveAsync(modelSpec.Source, m => emit(new LogEvent(m)), cancellation);
        var tokenizer = HfTokenizer.Load(location.TokenizerDirectory);
        var chat = ChatSetup.From(modelSpec, tokenizer);
        var encoder = new ExampleEncoder(tokenizer, chat.Template, chat.Options, chat.SystemPrompt, spec.MaxSeqLength);

        var trainFile = job.Input(TrainStage.TrainInput);
        var valFile = job.OptionalInput(TrainStage.ValInput);
        var (train, trainSummary) = encoder.Encode(TrainingRecordReader.Read(trainFile));
        var (val, valSummary) = valFile is null ? ([], DataSummary.Empty) : encoder.Encode(TrainingRecordReader.Read(valFile));
        ReportData("train", trainSummary, spec.MaxSeqLength, emit);
        if (valFile is not null) ReportData("val", valSummary, spec.MaxSeqLength, emit);
        if (train.Count == 0) throw new EngineException($"{trainFile}: no example has a response token within max_seq_length ({spec.MaxSeqLength})", "Raise train.max_seq_length or check the split.");
        if (val.Count == 0 && (spec.LoadBestModelAtEnd || spec.EarlyStoppingPatience is not null))
            throw new EngineException("load_best_model_at_end and early_stopping_patience need validation examples, and the val split has none",
                "Give split.val a share > 0, or turn both off.");
        if (val.Count == 0 && spec.EvalStrategy != EvalStrategy.No)
            emit(new LogEvent("the val split is empty: no validation loss will be computed", "warning"));

        var fingerprint = Fingerprint(job, location, trainFile, valFile);
        var plan = TrainingPlan.Create(train, spec);
        emit(new LogEvent($"loading {location.Source} ({spec.Method.ToString().ToLowerInvariant()}, {ComputeOptions.HfName(options.ComputeDType)} on {device.type.ToString().ToLowerInvariant()}, {get_num_threads()} threads)"));
        using var trainable = TrainableModel.Create(LoadBase(location, options, device, modelSpec.PresetSeed), options, spec.Seed);
        var origin = Origin(location);
        WriteArgs(outputs.ArgsPath, job, location, options, plan, trainable, fingerprint, train.Count, val.Count);
        emit(new LogEvent($"{trainable.TrainableCount:N0} of {trainable.TotalCount:N0} parameters trained ({100.0 * trainable.TrainableCount / trainable.TotalCount:0.###}%); " +
                          $"{plan.TotalSteps} steps, {plan.StepsPerFirstEpoch} per epoch, {train.Count} examples"));

        var trainer = new Trainer(new TrainerInputs(trainable, options, plan, train, val, outputDirectory, origin, fingerprint, emit,
            FullModelDType(location), location.TokenizerDirectory));
        var outcome = trainer.Run(cancellation);

        emit(new ArtifactEvent(outcome.WeightsDirectory, options.UsesAdapters ? TrainOutputs.AdapterFolder : TrainOutputs.ModelFolder));
        emit(new ArtifactEvent(outputs.TrainerStatePath, "trainer_state", new FileInfo(outputs.TrainerStatePath).Length));
        emit(new ArtifactEvent(outputs.ArgsPath, "train_args", new FileInfo(outputs.ArgsPath).Length));
        return Result(outcome, options, plan, trainSummary, valSummary, trainable);
    }

    private static CausalLM LoadBase(ModelLocation location, TrainOptions options, Device device, long presetSeed)
    {
        var model = LoadOrQuantize(location, options, new ComputeOptions(device, options.ComputeDType), presetSeed);
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

    private static AdapterOrigin Origin(ModelLocation location)
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
    private static ScalarType FullModelDType(ModelLocation location)
    {
        if (location.Directory is null) return ScalarType.Float32;
        var stored = ModelConfig.Load(Path.Combine(location.Directory, PretrainedModel.ConfigFileName)).TorchDtype;
        return stored is "bfloat16" or "float16" ? ComputeOptions.ParseDType(stored) : ScalarType.Float32;
    }

    private static void ReportData(string split, DataSummary summary, int maxSeqLength, Action<EngineEvent> emit)
    {
        emit(new LogEvent($"{split}: {summary.Examples} examples, {summary.Tokens:N0} tokens ({summary.TrainedTokens:N0} trained), longest {summary.LongestTokens}"));
        if (summary.Truncated > 0)
            emit(new LogEvent($"{split}: {summary.Truncated} example(s) were longer than max_seq_length {maxSeqLength} and were cut ({summary.TruncatedTokens:N0} tokens dropped)" +
                              (summary.Dropped > 0 ? $"; {summary.Dropped} lost every response token and were left out" : ""), "warning"));
    }

    private static string Fingerprint(EngineJob job, ModelLocation location, string trainFile, string? valFile)
    {
        var text = new StringBuilder()
            .AppendLine(TrainStage.Salt)
            .AppendLine(SpecJson.Canonical(job.Model))
            .AppendLine(SpecJson.Canonical(job.Train))
            .AppendLine(location.Directory ?? location.Source)
            .AppendLine(FileHash(trainFile))
            .AppendLine(valFile is null ? "-" : FileHash(valFile));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string FileHash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void WriteArgs(string path, EngineJob job, ModelLocation location, TrainOptions options, TrainingPlan plan,
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
