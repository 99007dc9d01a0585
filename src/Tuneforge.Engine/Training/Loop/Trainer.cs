using System.Diagnostics;
using System.Text.Json.Nodes;
using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Training.Batching;
using Tuneforge.Engine.Training.Checkpointing;
using Tuneforge.Engine.Training.Data;
using Tuneforge.Engine.Training.Optimization;
using Tuneforge.Pipeline.Spec;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Training.Loop;

/// <summary>
/// The training loop: steps of accumulated micro-batches with the loss normalized over all response tokens of the
/// step, clipping, AdamW and the schedule; logging, evaluation, checkpoints, early stopping; resuming from the latest
/// complete checkpoint in the output folder; stopping with a clear error on a NaN or infinite loss.
/// </summary>
public sealed class Trainer(TrainerInputs inputs)
{
    private readonly TrainableModel _model = inputs.Model;
    private readonly TrainSpec _spec = inputs.Options.Spec;
    private readonly CheckpointStore _store = new(new TrainOutputs(inputs.OutputDirectory).CheckpointsDirectory);
    private double _localSeconds;
    private int _localSteps;
    private double _windowSeconds;
    private long _windowTokens;
    private long _localTokens;

    public TrainingOutcome Run(CancellationToken cancellation = default)
    {
        var plan = inputs.Plan;
        var warmup = LearningRateSchedule.ResolveWarmup(_spec.WarmupSteps, _spec.WarmupRatio, plan.TotalSteps);
        var schedule = new LearningRateSchedule(_spec.LrSchedulerType, _spec.LearningRate, warmup, plan.TotalSteps);
        using var optimizer = new AdamW(_model.Parameters, _spec.AdamBeta1, _spec.AdamBeta2, _spec.AdamEpsilon, _spec.WeightDecay);
        var scaler = new LossScaler(dynamic: inputs.Options.ComputeDType == ScalarType.Float16);
        var (state, resumedFrom) = StartOrResume(optimizer, scaler, plan.TotalSteps);
        var microBatch = new MicroBatchStep(_model, _spec.GradientCheckpointing);
        _model.Model.train();
        _model.ZeroGrad();

        // Stopping after a step keeps the schedule of the whole run, so a later run resumes it as if never stopped.
        var last = inputs.StopAfterStep is { } stop ? Math.Min(stop, plan.TotalSteps) : plan.TotalSteps;
        for (var step = state.GlobalStep + 1; step <= last && !state.Resume.StoppedEarly; step++)
        {
            var planned = plan.Step(step);
            var clock = Stopwatch.StartNew();
            var (loss, tokens, lossTokens) = Accumulate(planned, microBatch, scaler.Scale, cancellation);
            if (!double.IsFinite(loss)) throw NonFinite("training loss", loss, step, planned.EpochProgress);
            if (scaler.IsDynamic) Unscale(scaler.Scale);
            inputs.FrozenRows?.ZeroGrads();
            var gradNorm = GradientClipping.ClipByGlobalNorm(_model.Parameters, _spec.MaxGradNorm);
            var learningRate = schedule.At(step - 1);
            if (scaler.Update(double.IsFinite(gradNorm)))
            {
                if (!double.IsFinite(gradNorm)) throw NonFinite("gradient norm", gradNorm, step, planned.EpochProgress);
                optimizer.Step(learningRate);
                inputs.FrozenRows?.Restore();
                _model.PushToLive();
            }
            else
            {
                state.Resume.SkippedSteps++;
                inputs.Emit(new LogEvent($"step {step}: float16 gradients overflowed; update skipped, loss scale now {scaler.Scale}", "warning"));
            }
            _model.ZeroGrad();
            var seconds = clock.Elapsed.TotalSeconds;
            Record(state, planned, loss, tokens, lossTokens, seconds, scaler);
            if (StepCalendar.LogDue(_spec, planned, last)) Log(state, step, learningRate, gradNorm);
            if (StepCalendar.EvaluationDue(_spec, planned, last) && inputs.Val.Count > 0) Evaluate(state, step);
            if (StepCalendar.SaveDue(_spec, planned, last) || state.Resume.StoppedEarly) Save(state, step, optimizer, schedule);
        }
        return Finish(state, resumedFrom);
    }

    private (TrainerState State, int? ResumedFrom) StartOrResume(AdamW optimizer, LossScaler scaler, int totalSteps)
    {
        var unfinished = _store.DeleteUnfinished();
        if (unfinished > 0) inputs.Emit(new LogEvent($"removed {unfinished} unfinished checkpoint folder(s) of an interrupted save", "warning"));
        var steps = _store.Steps();
        if (steps.Count == 0) return (TrainerState.Start(_spec, inputs.Plan.TotalSteps, inputs.Plan.StepsPerFirstEpoch, inputs.Fingerprint), null);
        var latest = steps[^1];
        var folder = _store.PathOf(latest);
        var saved = TrainerState.Read(Path.Combine(folder, TrainerState.FileName));
        if (saved.Resume.Fingerprint != inputs.Fingerprint)
            throw new EngineException($"{folder} belongs to a run with other settings or data, so it cannot be resumed",
                $"Use a new --out folder, or delete {_store.Directory} to start over.");
        var state = TrainingCheckpoint.Read(folder, _model, optimizer);
        scaler.Restore(state.Resume.LossScale, state.Resume.LossScaleGoodSteps);
        inputs.Emit(new LogEvent($"resuming from {Path.GetFileName(folder)} (step {latest} of {totalSteps})"));
        return (state, latest);
    }

    // Every micro-batch's summed loss is divided by the response tokens of the whole step: one mean over the step's tokens.
    private (double Loss, long Tokens, long LossTokens) Accumulate(StepPlan planned, MicroBatchStep microBatch, double lossScale, CancellationToken cancellation)
    {
        var batches = planned.MicroBatches.Select(rows => BatchCollator.Collate(rows, inputs.Train, _model.Model.Device)).ToList();
        try
        {
            var lossTokens = batches.Sum(b => b.LossTokens);
            var lossSum = 0.0;
            foreach (var batch in batches)
            {
                cancellation.ThrowIfCancellationRequested();
                lossSum += microBatch.ForwardBackward(batch, lossScale / lossTokens);
                _model.CollectGrads();
            }
            return (lossSum / lossTokens, batches.Sum(b => b.Tokens), lossTokens);
        }
        finally
        {
            foreach (var batch in batches) batch.Dispose();
        }
    }

    private void Unscale(double scale)
    {
        using var _ = no_grad();
        foreach (var p in _model.Parameters) p.Grad?.div_(scale);
    }

    private void Record(TrainerState state, StepPlan planned, double loss, long tokens, long lossTokens, double seconds, LossScaler scaler)
    {
        state.GlobalStep = planned.GlobalStep;
        state.Epoch = Math.Round(planned.EpochProgress, 6);
        var r = state.Resume;
        r.WindowLossSum += loss;
        r.WindowSteps++;
        r.WindowTokens += tokens;
        r.RunLossSum += loss;
        r.RunSteps++;
        r.TokensSeen += tokens;
        r.TrainedTokensSeen += lossTokens;
        r.TrainSeconds += seconds;
        r.LossScale = scaler.Scale;
        r.LossScaleGoodSteps = scaler.GoodSteps;
        _localSeconds += seconds;
        _localSteps++;
        _localTokens += tokens;
        _windowSeconds += seconds;
        _windowTokens += tokens;
    }

    private void Log(TrainerState state, int step, double learningRate, double gradNorm)
    {
        var r = state.Resume;
        var loss = r.WindowLossSum / r.WindowSteps;
        state.LogHistory.Add(new JsonObject
        {
            ["epoch"] = state.Epoch,
            ["grad_norm"] = double.IsFinite(gradNorm) ? gradNorm : null,
            ["learning_rate"] = learningRate,
            ["loss"] = Math.Round(loss, 6),
            ["step"] = step,
        });
        var tokensPerSecond = _windowSeconds > 0 ? _windowTokens / _windowSeconds : (double?)null;
        var eta = _localSteps > 0 ? (inputs.Plan.TotalSteps - step) * _localSeconds / _localSteps : (double?)null;
        inputs.Emit(new StepEvent(step, inputs.Plan.TotalSteps, state.Epoch, loss, learningRate,
            double.IsFinite(gradNorm) ? gradNorm : null, tokensPerSecond, eta));
        (r.WindowLossSum, r.WindowSteps, r.WindowTokens) = (0, 0, 0);
        (_windowSeconds, _windowTokens) = (0, 0);
    }

    private void Evaluate(TrainerState state, int step)
    {
        var clock = Stopwatch.StartNew();
        var loss = inputs.Evaluation?.Invoke(_model)
                   ?? EvaluationLoss.Compute(_model, new MicroBatchStep(_model, gradientCheckpointing: false), inputs.Val, _spec.PerDeviceEvalBatchSize);
        state.LogHistory.Add(new JsonObject
        {
            ["epoch"] = state.Epoch,
            ["eval_loss"] = Math.Round(loss, 6),
            ["eval_runtime"] = Math.Round(clock.Elapsed.TotalSeconds, 3),
            ["step"] = step,
        });
        if (!double.IsFinite(loss)) throw NonFinite("validation loss", loss, step, state.Epoch);
        var improved = state.BestMetric is not { } best || loss < best;
        if (improved)
        {
            state.BestMetric = loss;
            state.BestGlobalStep = step;
            state.Resume.EvaluationsWithoutImprovement = 0;
        }
        else
        {
            state.Resume.EvaluationsWithoutImprovement++;
        }
        inputs.Emit(new EvalEvent(step, loss));
        if (_spec.EarlyStoppingPatience is { } patience && state.Resume.EvaluationsWithoutImprovement >= patience)
        {
            state.Resume.StoppedEarly = true;
            inputs.Emit(new LogEvent($"early stopping at step {step}: the validation loss has not improved for {patience} evaluation(s) (best {state.BestMetric:0.####} at step {state.BestGlobalStep})"));
        }
    }

    private void Save(TrainerState state, int step, AdamW optimizer, LearningRateSchedule schedule)
    {
        if (state.BestGlobalStep is { } best && (best == step || Directory.Exists(_store.PathOf(best))))
            state.BestModelCheckpoint = Relative(_store.PathOf(best));
        var path = _store.Save(step, folder => TrainingCheckpoint.Write(folder, _model, optimizer, schedule, state, inputs.Origin));
        var evalLoss = state.BestGlobalStep == step ? state.BestMetric : null;
        inputs.Emit(new CheckpointEvent(step, path, evalLoss));
        foreach (var deleted in _store.Rotate(_spec.SaveTotalLimit, state.BestGlobalStep))
            inputs.Emit(new LogEvent($"removed checkpoint-{deleted} (save_total_limit {_spec.SaveTotalLimit})", "debug"));
    }

    private TrainingOutcome Finish(TrainerState state, int? resumedFrom)
    {
        string? loadedBest = null;
        var lastEval = state.LogHistory.LastOrDefault(e => e.ContainsKey("eval_loss"))?["eval_loss"]?.GetValue<double>();
        var evalLoss = lastEval;
        if (_spec.LoadBestModelAtEnd && state.BestModelCheckpoint is { } best && Directory.Exists(Path.Combine(inputs.OutputDirectory, best)))
        {
            if (state.BestGlobalStep != state.GlobalStep)
            {
                TrainingCheckpoint.LoadWeights(Path.Combine(inputs.OutputDirectory, best), _model);
                inputs.Emit(new LogEvent($"loaded the best checkpoint, {best} (eval_loss {state.BestMetric:0.####}), as the final weights"));
            }
            loadedBest = best;
            evalLoss = state.BestMetric;
        }

        var r = state.Resume;
        var trainLoss = r.RunSteps > 0 ? r.RunLossSum / r.RunSteps : (double?)null;
        var lastLogged = state.LogHistory.LastOrDefault(e => e.ContainsKey("loss"))?["loss"]?.GetValue<double>();
        state.LogHistory.RemoveAll(e => e.ContainsKey("train_loss"));
        state.LogHistory.Add(new JsonObject
        {
            ["epoch"] = state.Epoch,
            ["step"] = state.GlobalStep,
            ["train_loss"] = trainLoss is { } t ? Math.Round(t, 6) : null,
            ["train_runtime"] = Math.Round(r.TrainSeconds, 3),
            ["train_tokens_per_second"] = r.TrainSeconds > 0 ? Math.Round(r.TokensSeen / r.TrainSeconds, 1) : null,
        });

        var weights = new TrainOutputs(inputs.OutputDirectory).WeightsDirectory(_model.Options.UsesAdapters);
        if (_model.Options.UsesAdapters) PeftAdapter.Save(_model.Model, _model.Options.Lora!, inputs.Origin, weights);
        else FullModelWriter.Save(_model, weights, inputs.FullModelDType, inputs.TokenizerDirectory);
        state.Write(Path.Combine(inputs.OutputDirectory, TrainerState.FileName));
        var tokensPerSecond = _localSeconds > 0 ? _localTokens / _localSeconds : (r.TrainSeconds > 0 ? r.TokensSeen / r.TrainSeconds : (double?)null);
        return new TrainingOutcome(state, lastLogged, trainLoss, evalLoss, resumedFrom, r.StoppedEarly, tokensPerSecond, weights, loadedBest);
    }

    private string Relative(string path) => Path.GetRelativePath(inputs.OutputDirectory, path);

    private EngineException NonFinite(string what, double value, int step, double epoch)
    {
        var last = _store.Steps().LastOrDefault();
        var kept = last > 0 ? $"The last good checkpoint, {Relative(_store.PathOf(last))}, is kept; the next run resumes from it, so change a setting (which starts a fresh run) rather than rerunning as is."
            : "No checkpoint was written before it.";
        return new EngineException($"the {what} became {(double.IsNaN(value) ? "NaN" : "infinite")} at step {step} (epoch {epoch.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}); training stopped. {kept}",
            $"Lower train.learning_rate (now {_spec.LearningRate}), keep train.max_grad_norm > 0 (now {_spec.MaxGradNorm})" +
            (inputs.Options.ComputeDType == ScalarType.Float16 ? ", or use bf16 instead of fp16." : ", or check the data for broken records."));
    }
}
