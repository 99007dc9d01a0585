using System.Diagnostics;
using Tuneforge.Data.Training;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Training.Data;
using Tuneforge.Engine.Training.Loop;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Training.Preference;

/// <summary>
/// The <c>preference-train</c> verb's work: the train split's preference records encoded with the pipeline's chat
/// template, a LoRA adapter started from Train's (start_from: sft) or fresh, <see cref="PreferenceTrainer"/> for
/// train.max_steps (else num_train_epochs over the pairs), and adapter/ written as Train writes it. The val pairs are
/// scored before and after by the implicit reward β·(log π − log π_ref) of DPO, one yardstick for every method.
/// </summary>
public static class PreferenceTrainingRun
{
    /// <param name="MarginsBefore">Per val pair, chosen − rejected reward of the starting adapter.</param>
    public sealed record Outcome(PreferenceTrainResult Result, IReadOnlyList<double> MarginsBefore, IReadOnlyList<double> MarginsAfter);

    public static async Task<Outcome> RunAsync(EngineJob job, string outputDirectory, Action<EngineEvent> emit, CancellationToken cancellation = default)
    {
        var modelSpec = job.Section(job.Model, "model");
        var preference = job.Section(job.Preference, "preference");
        var train = preference.Training(job.Section(job.Train, "train"));
        if (!preference.Enabled) throw new EngineException("preference.method is none: there is nothing to train", "Set preference.method to dpo, orpo, simpo or kto.");
        if (modelSpec.NumThreads > 0) set_num_threads(modelSpec.NumThreads);
        var location = await ModelLocation.ResolveAsync(modelSpec.Source, m => emit(new LogEvent(m)), cancellation);
        var tokenizer = HfTokenizer.Load(location.TokenizerDirectory);
        var chat = ChatSetup.From(modelSpec, tokenizer);
        var encoder = new PreferenceEncoder(new ExampleEncoder(tokenizer, chat, train.MaxSeqLength), preference.MaxPromptLength, preference.MaxLength);
        var kto = preference.Method == PreferenceMethod.Kto;
        var trainFile = job.Input(TrainStage.TrainInput);
        var records = TrainingRecordReader.Read(trainFile);
        var (pairs, summary) = encoder.EncodePairs(records);
        var labelled = kto ? encoder.EncodeLabelled(records).Examples : [];
        var valPairs = job.OptionalInput(TrainStage.ValInput) is { } valFile ? encoder.EncodePairs(TrainingRecordReader.Read(valFile)).Pairs : [];
        var count = kto ? labelled.Count : pairs.Count;
        if (count == 0)
            throw new EngineException($"{trainFile}: no {(kto ? "labelled answers or pairs" : "preference pairs")} among {records.Count} records",
                "Give records with chosen and rejected answers (or, for kto, completion and label); docs/preferences.md shows the forms.");
        emit(new LogEvent($"train: {pairs.Count} pairs{(kto ? $", {labelled.Count} labelled answers" : "")} of {summary.Records} records " +
                          $"({summary.WithoutPreference} without a preference; prompts cut {summary.PromptsTruncated}, answers cut {summary.AnswersTruncated}); val: {valPairs.Count} pairs"));

        var device = ComputeOptions.DeviceFor(modelSpec.Device);
        var options = TrainOptions.Resolve(train, modelSpec, device);
        using var trainable = TrainableModel.Create(TrainingRun.LoadBase(location, options, device, modelSpec.PresetSeed), options, train.Seed);
        var startFrom = StartingAdapter(job, preference);
        if (startFrom is not null)
        {
            trainable.LoadAdapter(startFrom);
            emit(new LogEvent($"starting from Train's adapter {startFrom}"));
        }
        var yardstick = new PreferenceObjective(trainable.Model, preference with { Method = PreferenceMethod.Dpo, LossType = DpoLossType.Sigmoid }, trainable.Model.Device);
        var before = Margins(trainable, yardstick, valPairs, train.PerDeviceEvalBatchSize);

        var steps = train.MaxSteps > 0 ? train.MaxSteps : (int)Math.Ceiling(train.NumTrainEpochs * Math.Ceiling((double)count / (train.PerDeviceTrainBatchSize * train.GradientAccumulationSteps)));
        var perStep = (double)train.PerDeviceTrainBatchSize * train.GradientAccumulationSteps;
        var clock = Stopwatch.StartNew();
        var logs = new PreferenceTrainer(trainable, train, preference).Run(pairs, labelled, steps, log =>
        {
            cancellation.ThrowIfCancellationRequested();
            if (log.Step % Math.Max(1, train.LoggingSteps) == 0 || log.Step == steps)
                emit(new StepEvent(log.Step, steps, Math.Round(log.Step * perStep / count, 3), log.Loss, log.LearningRate, log.GradNorm));
        });
        var seconds = clock.Elapsed.TotalSeconds;
        var after = Margins(trainable, yardstick, valPairs, train.PerDeviceEvalBatchSize);

        var outputs = new TrainOutputs(Path.GetFullPath(outputDirectory));
        PeftAdapter.Save(trainable.Model, options.Lora!, TrainingRun.Origin(location), outputs.AdapterDirectory);
        ChatTemplateText.WriteBesideWeights(outputs.AdapterDirectory, chat.TemplateText);
        emit(new ArtifactEvent(outputs.AdapterDirectory, TrainOutputs.AdapterFolder));
        var result = new PreferenceTrainResult
        {
            Method = Pipeline.Model.SpecModel.EnumName(preference.Method),
            StartFrom = startFrom is null ? "base" : "sft",
            Steps = steps,
            TrainPairs = pairs.Count,
            TrainLabelled = labelled.Count,
            ValPairs = valPairs.Count,
            Loss = logs.Count > 0 ? Math.Round(logs[^1].Loss, 6) : null,
            ValAccuracyBefore = Accuracy(before),
            ValAccuracyAfter = Accuracy(after),
            ValMarginBefore = before.Count > 0 ? Math.Round(before.Average(), 6) : null,
            ValMarginAfter = after.Count > 0 ? Math.Round(after.Average(), 6) : null,
            Seconds = Math.Round(seconds, 2),
            StepsPerS = Math.Round(steps / Math.Max(seconds, 1e-9), 3),
            PeakRssBytes = ProcessMemory.PeakRssBytes(),
        };
        return new Outcome(result, before, after);
    }

    static string? StartingAdapter(EngineJob job, PreferenceSpec preference)
    {
        if (preference.StartFrom != PreferenceStart.Sft) return null;
        var sft = job.OptionalInput(PreferenceTrainStage.SftInput)
                  ?? throw new EngineException("preference.start_from is sft, but the job names no Train output", "The build passes Train's folder; run ./build.sh PreferenceTrain.");
        var weights = new TrainOutputs(sft).Weights();
        if (!weights.IsAdapter)
            throw new EngineException($"preference.start_from is sft, but {weights.Directory} is a full model, not an adapter", "Train with train.method lora or qlora, or set preference.start_from: base.");
        return weights.Directory;
    }

    // Chosen − rejected implicit reward per pair, without gradients and with dropout off.
    static List<double> Margins(TrainableModel trainable, PreferenceObjective yardstick, IReadOnlyList<PreferencePair> pairs, int batchSize)
    {
        var margins = new List<double>(pairs.Count);
        trainable.Model.eval();
        using (no_grad())
        {
            for (var start = 0; start < pairs.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var result = yardstick.Pairs([.. pairs.Skip(start).Take(batchSize)]);
                var chosen = result.ChosenRewards.to_type(ScalarType.Float64).data<double>().ToArray();
                var rejected = result.RejectedRewards.to_type(ScalarType.Float64).data<double>().ToArray();
                margins.AddRange(chosen.Zip(rejected, (c, r) => c - r));
            }
        }
        trainable.Model.train();
        return margins;
    }

    // TRL's reward accuracy: a tie counts as wrong.
    static double? Accuracy(IReadOnlyList<double> margins) => margins.Count > 0 ? Math.Round(margins.Count(m => m > 0) / (double)margins.Count, 6) : null;
}
