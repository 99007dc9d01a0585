using Tuneforge.Files;
using Tuneforge.Protocol;
using Tuneforge.Stages.Engine;
using Tuneforge.Targets;

namespace Tuneforge.Stages.Distributed;

/// <summary>
/// <c>launcher: slurm</c>: submits <see cref="SlurmScript"/> with <c>sbatch --parsable --wait</c> (its exit status is
/// the job's), follows rank 0's events in events.jsonl, and cancels the job (<c>scancel</c>) when the build is
/// cancelled (Ctrl-C, SIGTERM). The job id goes into the stage summary.
/// </summary>
public sealed class SlurmLauncher : IWorkerLauncher
{
    public async Task<LaunchOutcome> RunAsync(WorkerLaunch launch, EventStream events, CancellationToken cancellation)
    {
        var sbatch = Executables.Require("sbatch", "the Slurm client (Debian: slurm-client)", "Slurm's job submission");
        var scancel = Executables.Require("scancel", "the Slurm client (Debian: slurm-client)", "Slurm's job cancellation");
        Directory.CreateDirectory(SlurmScript.Directory(launch));
        var script = Path.Combine(SlurmScript.Directory(launch), "train.sbatch");
        AtomicFile.WriteAllText(script, SlurmScript.Render(launch));

        string? jobId = null;
        Task? cancelling = null;
        void OnOutput(string line)
        {
            // --parsable prints "id" or "id;cluster" at submission, before waiting.
            if (jobId is not null || line.Trim().Length == 0) return;
            jobId = line.Split(';')[0].Trim();
            Log.Information($"submitted Slurm job {jobId} ({script}); its output: {SlurmScript.OutputFile(launch, jobId)}");
        }

        int exitCode;
        await using (var tail = new EventsFileTail(new Protocol.TrainOutputs(launch.OutputDirectory).EventsPath, events.OnLine))
        await using (cancellation.Register(() => cancelling = jobId is null ? Task.CompletedTask : Cancel(scancel, jobId)))
        {
            try
            {
                exitCode = await ProcessRunner.RunAsync(sbatch, ["--parsable", "--wait", script], launch.OutputDirectory, OnOutput, events.OnError,
                    cancellation: cancellation);
            }
            finally
            {
                if (cancelling is not null) await cancelling;
            }
        }
        if (exitCode != 0 && jobId is not null) ReportOutput(SlurmScript.OutputFile(launch, jobId), events);
        return LaunchOutcome.Of(exitCode, ("slurm_job", jobId ?? "not submitted"));
    }

    static async Task Cancel(string scancel, string jobId)
    {
        Log.Warning($"cancelling Slurm job {jobId}");
        await ProcessRunner.RunAsync(scancel, [jobId], Environment.CurrentDirectory, Log.Debug, Log.Debug);
    }

    // The job's own output (torchrun's report of a failed rank) is what explains a failure; sbatch itself says nothing.
    static void ReportOutput(string outputFile, EventStream events)
    {
        if (!File.Exists(outputFile)) return;
        foreach (var line in File.ReadLines(outputFile).TakeLast(20)) events.OnError(line);
    }
}
