using System.Diagnostics;

namespace Tuneforge.Engine.Tests.TestSupport;

/// <summary>
/// The single-node Slurm of eng/test-servers/slurm.sh (slurmctld, slurmd, munged on loopback), started when it is not
/// running and stopped again if this fixture started it; SLURM_CONF points sbatch, srun and scancel at it.
/// </summary>
public sealed class SlurmCluster : IDisposable
{
    static string Script => Path.Combine(WorkerProcess.Root, "eng", "test-servers", "slurm.sh");

    readonly bool started;

    public SlurmCluster()
    {
        if (SlurmFactAttribute.SkipReason is not null) return;
        var (code, output) = Run("start");
        if (code != 0) throw new InvalidOperationException($"eng/test-servers/slurm.sh start failed ({code}):\n{output}");
        started = output.Trim() == "started";
        Environment.SetEnvironmentVariable("SLURM_CONF", Run("env").Output.Trim().Split('=', 2)[1]);
    }

    /// <summary>squeue's state of a job, or null when Slurm no longer lists it.</summary>
    public static string? JobState(string jobId)
    {
        var start = new ProcessStartInfo("squeue", ["-h", "-j", jobId, "-o", "%T"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output.Length == 0 ? null : output;
    }

    static (int Code, string Output) Run(string verb)
    {
        var start = new ProcessStartInfo("bash", [Script, verb]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + stderr.Result);
    }

    public void Dispose()
    {
        if (started) Run("stop");
    }
}

/// <summary>A fact that needs Slurm (sinfo on PATH) and the worker's Python with torch. Skipped, with the reason, only
/// when sinfo is absent (CI installs slurm-wlm and munge) or, outside CI, when Python with torch is.</summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public static string? SkipReason =>
        Stages.Distributed.Executables.Find("sinfo") is null ? "Slurm is not installed (no sinfo on PATH); install the Debian packages slurm-wlm and munge, as .ci/run does"
        : PythonReference.Python is null && Environment.GetEnvironmentVariable("CI") != "true" ? PythonReference.MissingReason + "; the Slurm launcher's tests run the PyTorch worker"
        : null;

    public SlurmFactAttribute()
    {
        if (SkipReason is { } reason) Skip = reason;
    }
}
