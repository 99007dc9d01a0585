using Tuneforge.Data.Training;
using Tuneforge.Engine.Training.Loop;
using Tuneforge.Engine.Training.Optimization;
using Tuneforge.Pipeline.Spec;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Training.Preference;

/// <summary>One optimizer step of preference training: the mean loss over its micro-batches, and over its pairs (or
/// labelled examples) the reward accuracy (chosen reward &gt; rejected, TRL's) and the mean reward margin.</summary>
public sealed record PreferenceStepLog(int Step, double Loss, double RewardAccuracy, double RewardMargin, double LearningRate, double GradNorm);

/// <summary>
/// The preference loop on a <see cref="TrainableModel"/> with LoRA: seeded order, micro-batches of
/// per_device_train_batch_size pairs (or labelled examples), gradient accumulation, clipping, AdamW and the schedule
/// of train. The loss of a step is the mean of its micro-batches' mean losses.
/// </summary>
public sealed class PreferenceTrainer(TrainableModel model, TrainSpec train, PreferenceSpec preference)
{
    public IReadOnlyList<PreferenceStepLog> Run(IReadOnlyList<PreferencePair> pairs, IReadOnlyList<LabelledExample> labelled, int steps, Action<PreferenceStepLog>? onStep = null)
    {
        var count = preference.Method == PreferenceMethod.Kto ? labelled.Count : pairs.Count;
        if (count == 0) throw new InvalidOperationException($"{preference.Method} has nothing to learn from: no {(preference.Method == PreferenceMethod.Kto ? "labelled answers or pairs" : "pairs")} in the train split");
        var objective = new PreferenceObjective(model.Model, preference, model.Model.Device);
        var warmup = LearningRateSchedule.ResolveWarmup(train.WarmupSteps, train.WarmupRatio, steps);
        var schedule = new LearningRateSchedule(train.LrSchedulerType, train.LearningRate, warmup, steps);
        using var optimizer = new AdamW(model.Parameters, train.AdamBeta1, train.AdamBeta2, train.AdamEpsilon, train.WeightDecay);
        var order = new Random(train.Seed);
        var queue = new Queue<int>();
        var logs = new List<PreferenceStepLog>();
        model.Model.train();
        model.ZeroGrad();
        for (var step = 1; step <= steps; step++)
        {
            var (loss, wins, margin, seen) = (0.0, 0.0, 0.0, 0);
            for (var micro = 0; micro < train.GradientAccumulationSteps; micro++)
            {
                using var scope = NewDisposeScope();
                var rows = Take(queue, order, count, train.PerDeviceTrainBatchSize);
                var result = preference.Method == PreferenceMethod.Kto
                    ? objective.Labelled([.. rows.Select(i => labelled[i])])
                    : objective.Pairs([.. rows.Select(i => pairs[i])]);
                (result.Loss / train.GradientAccumulationSteps).backward();
                model.CollectGrads();
                loss += result.Loss.to_type(ScalarType.Float64).item<double>() / train.GradientAccumulationSteps;
                (wins, margin, seen) = Rewards(result, wins, margin, seen);
            }
            var gradNorm = GradientClipping.ClipByGlobalNorm(model.Parameters, train.MaxGradNorm);
            var learningRate = schedule.At(step - 1);
            optimizer.Step(learningRate);
            model.PushToLive();
            model.ZeroGrad();
            var log = new PreferenceStepLog(step, loss, seen == 0 ? 0 : wins / seen, seen == 0 ? 0 : margin / seen, learningRate, gradNorm);
            logs.Add(log);
            onStep?.Invoke(log);
        }
        return logs;
    }

    // Pairs compare their two rewards; KTO's examples are unpaired, so it compares each desirable reward with the mean
    // undesirable one of its micro-batch (a KTO batch of one kind only adds nothing).
    static (double Wins, double Margin, int Seen) Rewards(PreferenceLossResult result, double wins, double margin, int seen)
    {
        var chosen = result.ChosenRewards.to_type(ScalarType.Float64).data<double>().ToArray();
        var rejected = result.RejectedRewards.to_type(ScalarType.Float64).data<double>().ToArray();
        if (chosen.Length == 0 || rejected.Length == 0) return (wins, margin, seen);
        var paired = chosen.Length == rejected.Length;
        var bar = rejected.Average();
        for (var i = 0; i < chosen.Length; i++)
        {
            var other = paired ? rejected[i] : bar;
            wins += chosen[i] > other ? 1 : 0;
            margin += chosen[i] - other;
        }
        return (wins, margin, seen + chosen.Length);
    }

    // Epochs in a seeded order: every example once per pass.
    static List<int> Take(Queue<int> queue, Random order, int count, int size)
    {
        var rows = new List<int>(size);
        while (rows.Count < Math.Min(size, count))
        {
            if (queue.Count == 0)
                foreach (var i in Enumerable.Range(0, count).OrderBy(_ => order.Next())) queue.Enqueue(i);
            rows.Add(queue.Dequeue());
        }
        return rows;
    }
}
