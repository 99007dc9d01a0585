using System.Diagnostics;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Stages;
using Tuneforge.Targets;
using Tuneforge.Text;

namespace Tuneforge.Engine.Tests.Worker;

/// <summary>
/// <c>train.engine: torch</c> through the build's own Train stage (PipelineStages.Train): prepare-train in the engine
/// process, the launcher, the worker under torchrun, and the outputs read through TrainStage's typed records.
/// </summary>
[Collection(WorkerCollection.Name)]
public sealed class TorchEngineStageTests
{
    internal static PipelineStages Stages(string model, TrainSpec train, CancellationToken cancellation = default) => new(new PipelineSpec
    {
        Name = "torch-engine",
        Model = new ModelSpec { Source = model, ChatTemplate = "auto", TorchDtype = TorchDtype.Float32 },
        Train = train,
    }, WorkerProcess.Root, "pipelines/torch-engine.yaml", cancellation);

    internal static TrainSpec OnTorch(TrainSpec spec, Launcher launcher = Launcher.Local) =>
        spec with { Distributed = spec.Distributed with { Launcher = launcher, Python = PythonReference.Python ?? "python3" } };

    [WorkerFact]
    public async Task Train_on_two_local_gloo_ranks_writes_the_adapter_the_native_engine_trains_where_later_stages_read_it()
    {
        using var directory = new TempDirectory();
        WorkerFixtures.WriteSplits(directory.Path);
        var model = WorkerFixtures.SmallR1(directory.Path);
        await WorkerFixtures.TrainNatively(WorkerFixtures.Job(directory.Path, model, WorkerFixtures.Spec(batch: 4, processes: 1)), directory.File("native"), []);

        var summary = await Stages(model, OnTorch(WorkerFixtures.Spec(batch: 2, processes: 2))).Train(directory.Path, directory.File("torch"));

        AssertTrainedLikeTheNativeEngine(directory, summary);
        Assert.Contains(("engine", "torch local ×2"), summary.Pairs);
    }

    internal static void AssertTrainedLikeTheNativeEngine(TempDirectory directory, StageSummary summary)
    {
        var outputs = new TrainOutputs(directory.File("torch"));
        Assert.Equal(new TrainedWeights(outputs.AdapterDirectory, IsAdapter: true), outputs.Weights());
        Assert.Equal(4, outputs.State()!.GlobalStep);
        Assert.True(File.Exists(outputs.ArgsPath));
        Assert.Matches(@"^\d+\.\d\d$", summary.Pairs.Single(p => p.Key == "loss").Value);
        // The tolerance of WorkerParityTests: same step-0 adapter, same batches, float32 rounding apart.
        var start = WorkerFixtures.InitialAdapter(directory.File("torch"));
        var disagreement = WorkerFixtures.Disagreement(WorkerFixtures.Adapter(directory.File("native")), WorkerFixtures.Adapter(directory.File("torch")), start);
        Assert.True(disagreement < 1e-3, $"{disagreement:P3} of the weights differ by more than 1e-5");
        // The template trained with travels with the adapter, as the native engine stores it.
        var template = File.ReadAllText(Path.Combine(new TrainOutputs(directory.File("native")).AdapterDirectory, ChatTemplateText.FileName));
        Assert.Equal(template, File.ReadAllText(Path.Combine(outputs.AdapterDirectory, ChatTemplateText.FileName)));
    }

    [WorkerFact]
    public async Task A_rank_that_dies_fails_the_stage_with_a_clear_error_no_adapter_and_no_process_left()
    {
        using var directory = new TempDirectory();
        WorkerFixtures.WriteSplits(directory.Path);
        var spec = OnTorch(WorkerFixtures.Spec(batch: 2, processes: 2) with { MaxSteps = 200, SaveSteps = 1000, EvalSteps = 1000 });
        var output = directory.File("out");
        var train = Stages(WorkerFixtures.SmallR1(directory.Path), spec).Train(directory.Path, output);
        await WhenTraining(output, train);
        var clock = Stopwatch.StartNew();
        Process.GetProcessById(WorkerProcess.Ranks(output).Single(r => r.Rank == 1).Pid).Kill();

        var error = await Assert.ThrowsAsync<BuildException>(() => train);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the stage took {clock.Elapsed} to fail");
        // Rank 0 either notices first (gloo: the connection closed: an error event) or is stopped by torchrun first (no event).
        if (error.Message.StartsWith("rank 0 ", StringComparison.Ordinal))
        {
            // gloo words it as the connection closed or reset by peer, sometimes over several lines.
            Assert.Matches($@"(?s)^rank 0 lost the other processes of the run: .+?\n  Another process ended first; torchrun's report and each rank's output in {output}/torchrun-logs say which and why.\n  Last output:\n", error.Message);
        }
        else
        {
            Assert.StartsWith("The PyTorch worker (launcher local, 2 process(es)) failed: it exited with code 1 without reporting an error.\n"
                + $"  A process of the run ended; torchrun's report is below, and each rank's output is in {output}/torchrun-logs.", error.Message);
            Assert.Contains("ChildFailedError", error.Message);   // torchrun's report; rank 0's own error can come before it
        }
        Assert.False(Directory.Exists(Path.Combine(output, "adapter")));
        Assert.Empty(WorkerProcess.Processes(output));
    }

    [WorkerFact]
    public async Task A_cancelled_build_stops_torchrun_and_every_rank()
    {
        using var directory = new TempDirectory();
        WorkerFixtures.WriteSplits(directory.Path);
        var spec = OnTorch(WorkerFixtures.Spec(batch: 2, processes: 2) with { MaxSteps = 200, SaveSteps = 1000, EvalSteps = 1000 });
        var output = directory.File("out");
        using var cancel = new CancellationTokenSource();
        var train = Stages(WorkerFixtures.SmallR1(directory.Path), spec, cancel.Token).Train(directory.Path, output);
        await WhenTraining(output, train);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => train);
        Assert.Empty(WorkerProcess.Processes(output));
    }

    /// <summary>Returns once rank 0 has logged a step (in events.jsonl) and both ranks run.</summary>
    internal static async Task WhenTraining(string output, Task train, TimeSpan? timeout = null)
    {
        var events = Path.Combine(output, "events.jsonl");
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(events) && File.ReadAllText(events).Contains("\"event\":\"step\"") && WorkerProcess.Ranks(output).Count == 2))
        {
            if (train.IsCompleted) await train;   // its error says why it never trained
            Assert.True(clock.Elapsed < (timeout ?? TimeSpan.FromMinutes(3)), "the worker did not start training");
            await Task.Delay(200);
        }
    }
}
