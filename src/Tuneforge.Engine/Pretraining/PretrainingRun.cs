using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Data;
using Tuneforge.Data.Pretraining;
using Tuneforge.Files;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Presets;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Training;
using Tuneforge.Engine.Training.Batching;
using Tuneforge.Engine.Training.Loop;
using Tuneforge.Engine.Training.Optimization;
using Tuneforge.Pipeline.Model;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Pretraining;

/// <summary>
/// The <c>pretrain</c> verb's work: causal LM training of every weight on plain text. The corpus is prepared without
/// torch (<see cref="CorpusPreparation"/>); the trainer, its optimizer, schedule, checkpoints, resume and events are
/// the train verb's. Writes model/ (a Hugging Face folder), corpus.json, heldout.jsonl and pretrain_args.json.
/// </summary>
public static class PretrainingRun
{
    /// <param name="stopAfterStep">Ends after this step with the whole run's schedule (a long run in parts, or a checkpoint
    /// published as the model); a later run without it resumes to the end.</param>
    public static async Task<PretrainResult> RunAsync(EngineJob job, string outputDirectory, Action<EngineEvent> emit, CancellationToken cancellation = default,
        int? stopAfterStep = null)
    {
        var modelSpec = job.Section(job.Model, "model");
        var spec = job.Section(job.Pretrain, "pretrain");
        if (spec.Train.Method != TrainMethod.Full)
            throw new EngineException($"pretrain.train.method is {spec.Train.Method.ToString().ToLowerInvariant()}; pretraining trains every weight", "Set pretrain.train.method to full.");
        var device = ComputeOptions.DeviceFor(modelSpec.Device);
        if (modelSpec.NumThreads > 0) set_num_threads(modelSpec.NumThreads);
        outputDirectory = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(outputDirectory);
        var outputs = new PretrainOutputs(outputDirectory);

        var location = await ModelLocation.ResolveAsync(modelSpec.Source, m => emit(new LogEvent(m)), cancellation);
        var tokenizer = HfTokenizer.Load(location.TokenizerDirectory);
        var corpus = Prepare(spec, job.RepositoryRoot ?? Directory.GetCurrentDirectory(), tokenizer, emit);
        var train = PretrainingSequences.Examples(corpus.TrainSequences, "train");
        var val = PretrainingSequences.Examples(PretrainingSequences.Spread(corpus.HeldOutSequences, spec.MaxEvalSequences), "heldout");
        var trainSpec = spec.Train with
        {
            MaxSeqLength = spec.SeqLength,
            Packing = false,
            GroupByLength = false,
            MaxSteps = spec.MaxTokens > 0
                ? PretrainingSequences.StepsFor(spec.MaxTokens, spec.Train.PerDeviceTrainBatchSize, spec.Train.GradientAccumulationSteps, spec.SeqLength)
                : spec.Train.MaxSteps,
        };
        var options = TrainOptions.Resolve(trainSpec, modelSpec, device);
        if (val.Count == 0 && (trainSpec.LoadBestModelAtEnd || trainSpec.EarlyStoppingPatience is not null))
            throw new EngineException("load_best_model_at_end and early_stopping_patience need held-out text, and pretrain.heldout_share left none", "Raise pretrain.heldout_share, or turn both off.");
        var plan = TrainingPlan.Create(train, trainSpec);
        var fingerprint = Fingerprint(job, location, corpus);
        WriteCorpusFiles(outputs, corpus);

        emit(new LogEvent($"loading {location.Source} (full, {ComputeOptions.HfName(options.ComputeDType)} on {device.type.ToString().ToLowerInvariant()}, {get_num_threads()} threads)"));
        if (CpuBfloat16.Warning(device, options.ComputeDType, "pretrain.train.bf16: false") is { } slow) emit(new LogEvent(slow, "warning"));
        using var trainable = TrainableModel.Create(ModelLoader.Load(location, new ComputeOptions(device, options.ComputeDType), modelSpec.PresetSeed), options, trainSpec.Seed);
        ProcessMemory.ReturnFreedMemory();
        using var frozen = FrozenRows.ForUnseenTokens(trainable.Parameters, corpus.TrainSequences, trainable.Model.Config.VocabSize);
        WriteArgs(outputs.ArgsPath, job, location, options, plan, trainable, fingerprint, frozen);
        emit(new LogEvent($"{trainable.TrainableCount:N0} parameters; {plan.TotalSteps} steps of {trainSpec.PerDeviceTrainBatchSize * trainSpec.GradientAccumulationSteps} x {spec.SeqLength} tokens; " +
                          $"{train.Count:N0} training sequences, {val.Count:N0} held-out sequences scored at each evaluation"));
        if (frozen is not null)
            emit(new LogEvent($"{frozen.Count:N0} of {trainable.Model.Config.VocabSize:N0} tokens never occur in the training text: their embedding rows keep their initial values"));

        var saved = spec.SaveTorchDtype == TorchDtype.Auto ? options.ComputeDType : ComputeOptions.DTypeFor(spec.SaveTorchDtype, device);
        var trainer = new Trainer(new TrainerInputs(trainable, options, plan, train, val, outputDirectory, new AdapterOrigin(location.Source), fingerprint, emit,
            saved, location.TokenizerDirectory) { StopAfterStep = stopAfterStep, FrozenRows = frozen });
        var outcome = trainer.Run(cancellation);
        var heldOut = HeldOutLoss(outcome, trainable, val, trainSpec.PerDeviceEvalBatchSize);
        if (location.Preset is { } preset) PresetWriter.WriteGenerationConfig(preset, Path.Combine(outcome.WeightsDirectory, "generation_config.json"));

        foreach (var (file, kind) in new[] { (outcome.WeightsDirectory, "model"), (outputs.CorpusPath, "corpus"), (outputs.HeldOutPath, "heldout"), (outputs.ArgsPath, "pretrain_args") })
            emit(new ArtifactEvent(file, kind, File.Exists(file) ? new FileInfo(file).Length : null));
        return Result(outcome, heldOut, plan, corpus, trainable, spec);
    }

    // The held-out loss of the weights written: the last evaluation's when it was at the last step, else measured now.
    static double? HeldOutLoss(TrainingOutcome outcome, TrainableModel trainable, IReadOnlyList<Data.Training.EncodedExample> val, int batchSize)
    {
        if (val.Count == 0) return null;
        var last = outcome.State.LogHistory.LastOrDefault(e => e.ContainsKey("eval_loss"));
        if (last?["step"]?.GetValue<int>() == outcome.State.GlobalStep) return last["eval_loss"]!.GetValue<double>();
        return EvaluationLoss.Compute(trainable, new MicroBatchStep(trainable, gradientCheckpointing: false), val, batchSize);
    }

    static PreparedCorpus Prepare(PretrainSpec spec, string root, HfTokenizer tokenizer, Action<EngineEvent> emit)
    {
        try
        {
            var corpus = CorpusPreparation.Prepare(spec, root, tokenizer, m => emit(new LogEvent(m)));
            emit(new LogEvent($"corpus: {corpus.TrainTokens:N0} tokens in {corpus.TrainSequences.Count:N0} sequences to train on; {corpus.HeldOutTokens:N0} held-out tokens ({corpus.HeldOutDocuments.Count:N0} documents)"));
            return corpus;
        }
        catch (DataException e)
        {
            throw new EngineException(e.Message, "Fix the pretrain section of the job (sources, formats, min_chars, heldout_share).", e);
        }
    }

    // Settings, the starting model and the exact packed tokens: a checkpoint of any other run is not resumed.
    static string Fingerprint(EngineJob job, ModelLocation location, PreparedCorpus corpus)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(string.Join("\n", PretrainStage.Salt, SpecJson.Canonical(job.Model), SpecJson.Canonical(job.Pretrain),
            location.Directory ?? location.Source, "")));
        foreach (var sequence in corpus.TrainSequences.Concat(corpus.HeldOutSequences))
        {
            hash.AppendData(BitConverter.GetBytes(sequence.Length));
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(sequence.AsSpan()));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    static void WriteCorpusFiles(PretrainOutputs outputs, PreparedCorpus corpus)
    {
        AtomicFile.WriteAllText(outputs.CorpusPath, corpus.Summary().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        AtomicFile.WriteAllLines(outputs.HeldOutPath, corpus.HeldOutDocuments.Select(d =>
            new JsonObject { ["id"] = d.Id, ["source"] = d.Source, ["language"] = d.Language, ["text"] = d.Text }.ToJsonString(SpecJson.Options)));
    }

    static void WriteArgs(string path, EngineJob job, ModelLocation location, TrainOptions options, TrainingPlan plan, TrainableModel trainable, string fingerprint,
        FrozenRows? frozen)
    {
        var args = new JsonObject
        {
            ["engine_version"] = PretrainStage.Salt,
            ["fingerprint"] = fingerprint,
            ["model"] = JsonNode.Parse(SpecJson.Canonical(job.Model)),
            ["pretrain"] = JsonNode.Parse(SpecJson.Canonical(job.Pretrain)),
            ["resolved"] = new JsonObject
            {
                ["model_directory"] = location.Directory,
                ["tokenizer_directory"] = location.TokenizerDirectory,
                ["threads"] = get_num_threads(),
                ["compute_dtype"] = ComputeOptions.HfName(options.ComputeDType),
                ["total_steps"] = plan.TotalSteps,
                ["warmup_steps"] = Training.Optimization.LearningRateSchedule.ResolveWarmup(options.Spec.WarmupSteps, options.Spec.WarmupRatio, plan.TotalSteps),
                ["parameters"] = trainable.TotalCount,
                ["frozen_token_rows"] = frozen?.Count ?? 0,
            },
        };
        AtomicFile.WriteAllText(path, args.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    static PretrainResult Result(TrainingOutcome outcome, double? heldOut, TrainingPlan plan, PreparedCorpus corpus, TrainableModel trainable, PretrainSpec spec)
    {
        var state = outcome.State;
        static double? Round(double? value) => value is { } x ? Math.Round(x, 6) : null;
        return new PretrainResult
        {
            Loss = Round(outcome.Loss),
            TrainLoss = Round(outcome.TrainLoss),
            HeldoutLoss = Round(heldOut),
            HeldoutPerplexity = heldOut is { } l ? Math.Round(Math.Exp(l), 3) : null,
            GlobalStep = state.GlobalStep,
            TotalSteps = plan.TotalSteps,
            ResumedFromStep = outcome.ResumedFromStep,
            TokensSeen = state.Resume.TokensSeen,
            TrainedTokensSeen = state.Resume.TrainedTokensSeen,
            TokensPerS = outcome.TokensPerSecond is { } t ? Math.Round(t, 1) : null,
            TrainRuntimeS = Math.Round(state.Resume.TrainSeconds, 2),
            SeqLength = spec.SeqLength,
            CorpusTrainTokens = corpus.TrainTokens,
            CorpusHeldoutTokens = corpus.HeldOutTokens,
            Parameters = trainable.TotalCount,
            PeakRssBytes = ProcessMemory.PeakRssBytes(),
            Weights = Path.GetFileName(outcome.WeightsDirectory),
        };
    }
}
