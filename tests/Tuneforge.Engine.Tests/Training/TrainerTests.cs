using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Engine.Training.Batching;
using Tuneforge.Engine.Training.Checkpointing;
using Tuneforge.Engine.Training.Loop;
using Tuneforge.Pipeline.Spec;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests.Training;

public sealed class TrainerTests
{
    private static Dictionary<string, float[]> Adapter(string output) =>
        TrainingFixtures.ReadTensors(Path.Combine(output, "adapter", "adapter_model.safetensors"));

    [Fact]
    public void Two_micro_batches_of_four_update_like_one_batch_of_eight()
    {
        using var directory = new TempDirectory();
        var examples = TrainingFixtures.Examples(8, seed: 11);
        var events = new List<EngineEvent>();
        TrainingFixtures.Train(TrainingFixtures.Spec(batch: 8, accumulation: 1, maxSteps: 1), directory.File("one"), examples, onEvent: events.Add);
        TrainingFixtures.Train(TrainingFixtures.Spec(batch: 4, accumulation: 2, maxSteps: 1), directory.File("two"), examples);
        var (one, two) = (Adapter(directory.File("one")), Adapter(directory.File("two")));
        Assert.True(TrainingFixtures.MaxDifference(one, two) < 1e-5, $"max difference {TrainingFixtures.MaxDifference(one, two):E2}");

        // The halves hold different numbers of response tokens, so an average of the two micro-batch means (the bug
        // transformers fixed in 2024) is another loss: the test would notice it.
        var options = TrainingFixtures.Options(TrainingFixtures.Spec());
        using var model = TrainableModel.Create(TinyModels.Random(TinyModels.Qwen2(), 7), options, 5);
        var step = new MicroBatchStep(model, gradientCheckpointing: false);
        var order = TrainingPlan.Create(examples, TrainingFixtures.Spec(batch: 4, accumulation: 2, maxSteps: 1)).Step(1).MicroBatches;
        using var first = BatchCollator.Collate(order[0], examples, CPU);
        using var second = BatchCollator.Collate(order[1], examples, CPU);
        var (sum1, sum2) = (step.LossSum(first), step.LossSum(second));
        var tokenMean = (sum1 + sum2) / (first.LossTokens + second.LossTokens);
        var meanOfMeans = (sum1 / first.LossTokens + sum2 / second.LossTokens) / 2;
        Assert.NotEqual(first.LossTokens, second.LossTokens);
        Assert.True(Math.Abs(tokenMean - meanOfMeans) > 1e-3, $"{tokenMean} vs {meanOfMeans}");
        Assert.Equal(tokenMean, events.OfType<StepEvent>().Single().Loss, 5);
    }

    [Fact]
    public void Gradient_checkpointing_computes_the_same_update_with_the_same_dropout_masks()
    {
        using var directory = new TempDirectory();
        var examples = TrainingFixtures.Examples(12, seed: 12);
        var spec = TrainingFixtures.Spec(batch: 4, maxSteps: 3, dropout: 0.2);
        TrainingFixtures.Train(spec, directory.File("plain"), examples);
        TrainingFixtures.Train(spec with { GradientCheckpointing = true }, directory.File("recomputed"), examples);
        TrainingFixtures.Train(spec with { Seed = 99 }, directory.File("other-seed"), examples);
        var plain = Adapter(directory.File("plain"));
        Assert.True(TrainingFixtures.MaxDifference(plain, Adapter(directory.File("recomputed"))) < 1e-6);
        Assert.True(TrainingFixtures.MaxDifference(plain, Adapter(directory.File("other-seed"))) > 1e-3, "the seed must matter");
    }

    [Fact]
    public void A_packed_row_scores_each_example_as_if_it_were_alone()
    {
        var examples = TrainingFixtures.Examples(3, seed: 13);
        var options = TrainingFixtures.Options(TrainingFixtures.Spec());
        using var model = TrainableModel.Create(TinyModels.Random(TinyModels.Qwen2(), 8), options, 5);
        var step = new MicroBatchStep(model, gradientCheckpointing: false);
        model.Model.eval();
        using var packed = BatchCollator.Collate([[0, 1, 2]], examples, CPU);
        using var separate = BatchCollator.Collate([[0], [1], [2]], examples, CPU);
        Assert.Equal(separate.LossTokens, packed.LossTokens);
        Assert.Equal(step.LossSum(separate), step.LossSum(packed), 3);
    }

    [Fact]
    public void A_run_killed_midway_resumes_from_its_last_checkpoint_to_the_same_adapter()
    {
        using var directory = new TempDirectory();
        var examples = TrainingFixtures.Examples(20, seed: 14);
        var spec = TrainingFixtures.Spec(batch: 4, accumulation: 2, maxSteps: 6, dropout: 0.1) with { SaveSteps = 2, SaveTotalLimit = 2 };
        var whole = TrainingFixtures.Train(spec, directory.File("whole"), examples);

        var output = directory.File("killed");
        using (var kill = new CancellationTokenSource())
        {
            Assert.ThrowsAny<OperationCanceledException>(() => TrainingFixtures.Train(spec, output, examples,
                onEvent: e => { if (e is StepEvent { Step: 3 }) kill.Cancel(); }, cancellation: kill.Token));
        }
        var store = new CheckpointStore(Path.Combine(output, "checkpoints"));
        Assert.Equal([2], store.Steps());                           // step 3 was done but never saved
        Assert.False(Directory.Exists(Path.Combine(output, "adapter")));
        Directory.CreateDirectory(Path.Combine(output, "checkpoints", ".staging-4-12345"));   // a save cut short by a kill

        var events = new List<EngineEvent>();
        var resumed = TrainingFixtures.Train(spec, output, examples, onEvent: events.Add);
        Assert.Equal(2, resumed.ResumedFromStep);
        Assert.Contains(events.OfType<LogEvent>(), l => l.Message == "resuming from checkpoint-2 (step 2 of 6)");
        Assert.Contains(events.OfType<LogEvent>(), l => l.Message.StartsWith("removed 1 unfinished checkpoint folder"));
        Assert.Equal([3, 4, 5, 6], events.OfType<StepEvent>().Select(s => s.Step));
        Assert.Equal(0, TrainingFixtures.MaxDifference(Adapter(directory.File("whole")), Adapter(output)));
        Assert.Equal(whole.State.LogHistory.Select(e => e.ToJsonString()).Where(j => !j.Contains("train_runtime")),
            resumed.State.LogHistory.Select(e => e.ToJsonString()).Where(j => !j.Contains("train_runtime")));
        Assert.Equal([4, 6], store.Steps());                        // save_total_limit 2

        var other = Assert.Throws<EngineException>(() => TrainingFixtures.Train(spec, output, examples, fingerprint: "another run"));
        Assert.Contains("belongs to a run with other settings or data", other.Message);
    }

    [Fact]
    public void A_NaN_loss_stops_with_a_clear_error_and_keeps_the_last_good_checkpoint()
    {
        using var directory = new TempDirectory();
        var examples = TrainingFixtures.Examples(16, seed: 15);
        var spec = TrainingFixtures.Spec(batch: 4, maxSteps: 4) with { LearningRate = 1e6, MaxGradNorm = 0, SaveSteps = 1, LrSchedulerType = SchedulerType.Constant };
        var error = Assert.Throws<EngineException>(() => TrainingFixtures.Train(spec, directory.Path, examples));
        Assert.Matches(@"^the (training loss|gradient norm) became (NaN|infinite) at step \d", error.Message);
        Assert.Contains("training stopped", error.Message);
        var steps = new CheckpointStore(Path.Combine(directory.Path, "checkpoints")).Steps();
        Assert.NotEmpty(steps);
        Assert.Contains($"The last good checkpoint, checkpoints/checkpoint-{steps[^1]}, is kept", error.Message);
        Assert.Contains("Lower train.learning_rate", error.Hint);
        Assert.False(Directory.Exists(Path.Combine(directory.Path, "adapter")));
        var saved = TrainingFixtures.ReadTensors(Path.Combine(store(directory.Path).PathOf(steps[^1]), "adapter_model.safetensors"));
        Assert.All(saved.Values.SelectMany(v => v), v => Assert.True(float.IsFinite(v)));

        static CheckpointStore store(string output) => new(Path.Combine(output, "checkpoints"));
    }

    [Fact]
    public void Early_stopping_keeps_the_best_checkpoint_past_the_limit_and_delivers_it()
    {
        using var directory = new TempDirectory();
        var examples = TrainingFixtures.Examples(16, seed: 16);
        var spec = TrainingFixtures.Spec(batch: 2, maxSteps: 8) with
        {
            EvalStrategy = EvalStrategy.Steps, EvalSteps = 1, SaveSteps = 1, SaveTotalLimit = 1,
            LoadBestModelAtEnd = true, EarlyStoppingPatience = 2,
        };
        var scripted = new Queue<double>([3.0, 2.0, 2.5, 2.6, 1.0]);
        var events = new List<EngineEvent>();
        var outcome = TrainingFixtures.Train(spec, directory.Path, examples, examples.Take(2).ToList(), onEvent: events.Add,
            evaluation: _ => scripted.Dequeue());

        Assert.True(outcome.StoppedEarly);
        Assert.Equal(4, outcome.State.GlobalStep);                  // steps 3 and 4 did not improve on step 2
        Assert.Equal([2.0], [outcome.EvalLoss!.Value]);
        Assert.Equal("checkpoints/checkpoint-2", outcome.LoadedBestCheckpoint);
        Assert.Equal([2, 4], new CheckpointStore(Path.Combine(directory.Path, "checkpoints")).Steps());   // best and latest survive limit 1
        Assert.Equal(0, TrainingFixtures.MaxDifference(Adapter(directory.Path),
            TrainingFixtures.ReadTensors(Path.Combine(directory.Path, "checkpoints", "checkpoint-2", "adapter_model.safetensors"))));
        Assert.Equal([3.0, 2.0, 2.5, 2.6], events.OfType<EvalEvent>().Select(e => e.EvalLoss));
        var state = TrainerState.Read(Path.Combine(directory.Path, "trainer_state.json"));
        Assert.Equal(2, state.BestGlobalStep);
        Assert.Equal("checkpoints/checkpoint-2", state.BestModelCheckpoint);
        Assert.Equal(4, state.LogHistory.Count(e => e.ContainsKey("eval_loss")));
        Assert.Equal(4, state.LogHistory.Count(e => e.ContainsKey("loss")));
    }
}
