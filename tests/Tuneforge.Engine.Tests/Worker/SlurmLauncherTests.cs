using System.Diagnostics;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Engine.Tests.Worker;

/// <summary><c>launcher: slurm</c> through a real single-node Slurm (eng/test-servers/slurm.sh): sbatch --wait, srun torchrun.</summary>
[Collection(WorkerCollection.Name)]
public sealed class SlurmLauncherTests : IClassFixture<SlurmCluster>
{
    [SlurmFact]
    public async Task Train_through_sbatch_and_srun_torchrun_gives_the_native_engines_adapter_and_the_job_id()
    {
        using var directory = new TempDirectory();
        WorkerFixtures.WriteSplits(directory.Path);
        var model = WorkerFixtures.SmallR1(directory.Path);
        await WorkerFixtures.TrainNatively(WorkerFixtures.Job(directory.Path, model, WorkerFixtures.Spec(batch: 4, processes: 1)), directory.File("native"), []);

        var summary = await TorchEngineStageTests.Stages(model, TorchEngineStageTests.OnTorch(WorkerFixtures.Spec(batch: 2, processes: 2), Launcher.Slurm))
            .Train(directory.Path, directory.File("torch"));

        TorchEngineStageTests.AssertTrainedLikeTheNativeEngine(directory, summary);
        var jobId = summary.Pairs.Single(p => p.Key == "slurm_job").Value;
        Assert.Matches(@"^\d+$", jobId);
        var jobOutput = File.ReadAllText(directory.File($"torch/slurm/slurm-{jobId}.out"));
        Assert.Contains($"tuneforge: job {jobId} on localhost, rendezvous at localhost:", jobOutput);
    }

    [SlurmFact]
    public async Task A_cancelled_build_cancels_the_slurm_job_and_leaves_no_rank()
    {
        using var directory = new TempDirectory();
        WorkerFixtures.WriteSplits(directory.Path);
        var spec = TorchEngineStageTests.OnTorch(WorkerFixtures.Spec(batch: 2, processes: 2) with { MaxSteps = 200, SaveSteps = 1000, EvalSteps = 1000 }, Launcher.Slurm);
        var output = directory.File("out");
        using var cancel = new CancellationTokenSource();
        var train = TorchEngineStageTests.Stages(WorkerFixtures.SmallR1(directory.Path), spec, cancel.Token).Train(directory.Path, output);
        await TorchEngineStageTests.WhenTraining(output, train);
        var jobId = Path.GetFileNameWithoutExtension(Directory.GetFiles(Path.Combine(output, "slurm"), "slurm-*.out").Single())["slurm-".Length..];
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => train);

        var clock = Stopwatch.StartNew();
        while ((SlurmCluster.JobState(jobId) is not null || WorkerProcess.Processes(output).Count > 0) && clock.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(250);
        Assert.Null(SlurmCluster.JobState(jobId));
        Assert.Empty(WorkerProcess.Processes(output));
    }
}
